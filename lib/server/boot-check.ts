import 'server-only';

import { getEnv } from './env';

// Validate the environment when the server boots, not on the first request. Next keeps serving
// when register() throws, so in production we exit ourselves: a misconfigured auth server must not run.
try {
  getEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  if (process.env.NODE_ENV === 'production') process.exit(1);
}

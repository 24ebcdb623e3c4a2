import 'server-only';

import { getEnv } from './env';

// Validate the environment when the server boots, not on the first request. Next keeps serving
// when register() throws, so in production we exit ourselves: a misconfigured auth server must not run.
try {
  const env = getEnv();
  if (env.NODE_ENV === 'production' && env.TRUST_PROXY === undefined) {
    console.warn(
      'TRUST_PROXY is not set: per-address rate limits read X-Forwarded-For, which clients can forge unless a proxy in front of the app sets it. Set TRUST_PROXY to the number of proxies that append to it.',
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  if (process.env.NODE_ENV === 'production') process.exit(1);
}

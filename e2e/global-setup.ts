import { existsSync } from 'node:fs';

import { startTestStack } from '../dev/stack/test-stack';
import { chromiumPath } from './chromium';

// One stack for the whole browser run; specs reset the emulator and the limits where they need to.
export default async function globalSetup() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  const stack = await startTestStack();
  process.env.E2E_EMULATOR_URL = stack.emulatorUrl;
  process.env.E2E_DIRECTUS_URL = stack.directusUrl;
  process.env.E2E_REDIS_URL = stack.redisUrl;
  process.env.E2E_SESSION_SECRET = stack.appEnv.SESSION_SECRET;
  // For specs that start an instance of the app with other settings beside the stack's.
  process.env.E2E_APP_ENV = JSON.stringify(stack.appEnv);
  return () => stack.stop();
}

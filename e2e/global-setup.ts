import { startTestStack } from '../dev/stack/test-stack';

// One stack for the whole browser run; specs reset the emulator where they need a clean slate.
export default async function globalSetup() {
  const stack = await startTestStack();
  process.env.E2E_EMULATOR_URL = stack.emulatorUrl;
  process.env.E2E_DIRECTUS_URL = stack.directusUrl;
  process.env.E2E_REDIS_URL = stack.redisUrl;
  process.env.E2E_SESSION_SECRET = stack.appEnv.SESSION_SECRET;
  return () => stack.stop();
}

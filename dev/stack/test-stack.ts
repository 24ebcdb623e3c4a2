// The stack the integration and browser tests run against: a fresh local Directus, the Plivo
// emulator and the production build of the app, on ports of their own (TEST_PORTS), so a running
// `npm run dev` is not disturbed.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { LOCAL_STACK, TEST_PORTS } from '../../lib/local-stack';
import { startLocalDirectus } from '../directus/index';
import { startEmulator } from '../plivo-emulator/server';
import { startRedis } from './redis';
import { startService, waitForHttp } from './service';

const root = join(import.meta.dirname, '..', '..');

export type TestStack = {
  appUrl: string;
  directusUrl: string;
  emulatorUrl: string;
  redisUrl: string;
  /** The environment the app runs with, for tests that start more instances of it. */
  appEnv: Record<string, string>;
  stop(): Promise<void>;
};

export async function startTestStack(): Promise<TestStack> {
  const server = join(root, '.next', 'standalone', 'server.js');
  if (!existsSync(server)) throw new Error('No production build: run `npm run build` first.');

  const quiet = () => undefined;
  const [directus, emulator, redis] = await Promise.all([
    startLocalDirectus({ port: TEST_PORTS.directus, dataDir: join(root, '.local', 'directus', `test-${TEST_PORTS.directus}`), fresh: true, log: quiet }),
    startEmulator({
      port: TEST_PORTS.emulator,
      authId: LOCAL_STACK.plivo.authId,
      authToken: LOCAL_STACK.plivo.authToken,
      appUuid: LOCAL_STACK.plivo.appUuid,
    }),
    startRedis(TEST_PORTS.redis),
  ]);

  const appUrl = `http://127.0.0.1:${TEST_PORTS.app}`;
  const appEnv: Record<string, string> = {
    NODE_ENV: 'production',
    HOSTNAME: '127.0.0.1',
    PORT: String(TEST_PORTS.app),
    APP_URL: appUrl,
    DIRECTUS_URL: directus.url,
    DIRECTUS_TOKEN: directus.serviceToken,
    DIRECTUS_TIMEOUT_MS: '2000',
    PLIVO_AUTH_ID: LOCAL_STACK.plivo.authId,
    PLIVO_AUTH_TOKEN: LOCAL_STACK.plivo.authToken,
    PLIVO_APP_UUID: LOCAL_STACK.plivo.appUuid,
    PLIVO_API_URL: emulator.url,
    PLIVO_TIMEOUT_MS: '2000',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ALLOWED_COUNTRIES: 'GB,IE,FR,US',
    // Short enough that browser tests can watch the countdown end.
    OTP_RESEND_AFTER_SECONDS: '3',
    // Limits at their defaults, in Redis as a multi-instance deployment keeps them; tests that
    // sign the demo member in again and again reset them in between (TestStack.resetLimits).
    REDIS_URL: redis.url,
  };
  const app = startService('app', process.execPath, [server], { env: appEnv, cwd: root, quiet: !process.env.DEBUG_APP });
  try {
    await waitForHttp(`${appUrl}/api/health`, { timeoutMs: 60_000, service: app });
  } catch (error) {
    await Promise.all([app.stop(), directus.stop(), emulator.close(), redis.stop()]);
    throw error;
  }

  return {
    appUrl,
    directusUrl: directus.url,
    emulatorUrl: emulator.url,
    appEnv,
    redisUrl: redis.url,
    async stop() {
      await Promise.all([app.stop(), directus.stop(), emulator.close(), redis.stop()]);
    },
  };
}

// The stack the integration and browser tests run against: a fresh local Directus (on SQLite, or
// on the PostgreSQL or MariaDB server TEST_DATABASE names), the Plivo emulator and the production
// build of the app, on ports of their own (TEST_PORTS), so a running `npm run dev` is not disturbed.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { LOCAL_STACK } from '../../lib/local-stack';
import { TEST_PORTS, type TestPorts } from './test-ports';
import { serviceTokenOf, startLocalDirectus } from '../directus/index';
import { startEmulator } from '../plivo-emulator/server';
import { startTestDatabaseServer } from './database-server';
import { startRedis } from './redis';
import { startService } from './service';
import { waitForHttp, type ReadyCheck } from './wait';

const root = join(import.meta.dirname, '..', '..');

export type TestStack = {
  appUrl: string;
  directusUrl: string;
  emulatorUrl: string;
  redisUrl: string;
  /** The environment the app runs with (the `session` strategy), for tests that start more instances of it. */
  appEnv: Record<string, string>;
  /** What turns that environment into the `static` strategy's. */
  staticEnv: Record<string, string>;
  /** A second instance of the app on the `static` strategy, beside the first. */
  staticAppUrl: string;
  /** Where the app's output goes, for tests that check what it logs. */
  appLog: string;
  stop(): Promise<void>;
};

/** `ports`: another stack's than this process's own (TEST_PORTS), as the browser tests' one per worker. */
export async function startTestStack(ports: TestPorts = TEST_PORTS): Promise<TestStack> {
  if (!existsSync(join(root, '.next', 'standalone', 'server.js'))) throw new Error('No production build: run `npm run build` first.');
  const quiet = () => undefined;
  // Production refuses the local stack's extension key, as it would in a real deployment.
  const extensionKey = randomBytes(32).toString('base64url');
  const databaseServer = await startTestDatabaseServer(ports);
  const [directus, emulator, redis] = await Promise.all([
    startLocalDirectus({
      port: ports.directus,
      dataDir: join(root, '.local', 'directus', `test-${ports.directus}`),
      fresh: true,
      log: quiet,
      plivoApiUrl: `http://127.0.0.1:${ports.emulator}`,
      env: {
        SMS_SIGN_IN_APP_KEY: extensionKey,
        // Passkeys for the first app instance, as a browser on localhost would name its origin
        // (browsers refuse an IP address as a relying party); the tests' software authenticator does.
        // And for the instance the browser tests open on localhost (e2e/passkeys.spec.ts).
        SMS_SIGN_IN_PASSKEY_RP_ID: 'localhost',
        SMS_SIGN_IN_PASSKEY_ORIGINS: `http://localhost:${ports.app},http://localhost:${ports.passkeyApp}`,
      },
      // The second app instance runs the static strategy.
      strategies: ['session', 'static'],
      database: databaseServer,
    }),
    startEmulator({
      port: ports.emulator,
      authId: LOCAL_STACK.plivo.authId,
      authToken: LOCAL_STACK.plivo.authToken,
      appUuid: LOCAL_STACK.plivo.appUuid,
    }),
    startRedis(ports.redis),
  ]);
  // The database server goes last: it waits for Directus's connections to end.
  const stopServices = async (...more: Promise<void>[]) => {
    await Promise.all([...more, directus.stop(), emulator.close(), redis.stop()]);
    await databaseServer?.stop();
  };

  const appEnv: Record<string, string> = {
    NODE_ENV: 'production',
    DIRECTUS_URL: directus.url,
    DIRECTUS_EXTENSION_KEY: extensionKey,
    DIRECTUS_TIMEOUT_MS: '2000',
    PLIVO_AUTH_ID: LOCAL_STACK.plivo.authId,
    PLIVO_AUTH_TOKEN: LOCAL_STACK.plivo.authToken,
    PLIVO_APP_UUID: LOCAL_STACK.plivo.appUuid,
    PLIVO_API_URL: emulator.url,
    PLIVO_TIMEOUT_MS: '2000',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ALLOWED_COUNTRIES: 'GB,IE,FR,US',
    CRON_SECRET: randomBytes(24).toString('base64url'),
    // Short enough that browser tests can watch the countdown end.
    OTP_RESEND_AFTER_SECONDS: '3',
    // The tests are the proxy: each names its client in X-Forwarded-For.
    TRUST_PROXY: '1',
    // Limits at their defaults, in Redis as a multi-instance deployment keeps them; tests that
    // sign the demo member in again and again reset them in between (tests/support/limits.ts).
    REDIS_URL: redis.url,
    // The pass-through's suites test its checks on any collection, so this is broader than the
    // local members area's list (LOCAL_STACK.passThrough) and the default (nothing).
    DIRECTUS_PASS_THROUGH: 'GET /items/*, GET /assets/*',
  };
  const staticEnv = {
    DIRECTUS_CREDENTIALS: 'static',
    DIRECTUS_TOKEN: serviceTokenOf(directus),
    DIRECTUS_MEMBER_ROLES: directus.memberRoleId,
  };
  const appLog = join(root, '.local', 'test-logs', `app-${ports.app}.log`);
  const apps = await Promise.allSettled([
    startApp(ports.app, appEnv, { logFile: appLog }),
    startApp(ports.staticApp, { ...appEnv, ...staticEnv }),
  ]);
  const failed = apps.find((result) => result.status === 'rejected');
  if (failed) {
    await stopServices(...apps.map(async (result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw failed.reason;
  }
  const [app, staticApp] = apps.map((result) => (result as PromiseFulfilledResult<AppInstance>).value) as [AppInstance, AppInstance];

  return {
    appUrl: app.url,
    directusUrl: directus.url,
    emulatorUrl: emulator.url,
    redisUrl: redis.url,
    appEnv,
    staticEnv,
    staticAppUrl: staticApp.url,
    appLog,
    async stop() {
      await stopServices(app.stop(), staticApp.stop());
    },
  };
}

export type AppInstance = {
  url: string;
  logs: string[];
  /** Its process id, for benchmarks that read its CPU time. */ pid: number;
  stop(): Promise<void>;
};

/** One instance of the production build (standalone server) on 127.0.0.1:`port`. */
/** `ready`: what a health answer must be to count as started (default 200; an app meant to be unhealthy answers 503). */
/** `host`: the name its APP_URL gives it, which is the origin it accepts from browsers (`localhost` for passkeys). */
export async function startApp(
  port: number,
  env: Record<string, string>,
  { logFile, ready, host = '127.0.0.1' }: { logFile?: string; ready?: ReadyCheck; host?: '127.0.0.1' | 'localhost' } = {},
): Promise<AppInstance> {
  const server = join(root, '.next', 'standalone', 'server.js');
  if (!existsSync(server)) throw new Error('No production build: run `npm run build` first.');
  const url = `http://127.0.0.1:${port}`;
  const appUrl = `http://${host}:${port}`;
  const logs: string[] = [];
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    writeFileSync(logFile, '');
  }
  // Started as `npm start` starts it, with the preload for TRUST_PROXY=direct.
  const app = startService('app', process.execPath, ['--require', join(root, '.next', 'standalone', 'client-address.cjs'), server], {
    env: { ...env, HOSTNAME: '127.0.0.1', PORT: String(port), APP_URL: appUrl },
    cwd: root,
    quiet: !process.env.DEBUG_APP,
    onLine: (line) => {
      logs.push(line);
      if (logFile) appendFileSync(logFile, `${line}\n`);
    },
  });
  try {
    await waitForHttp(`${url}/api/health`, { timeoutMs: 60_000, service: app, ready, lastOutput: () => logs.slice(-20).join('\n') });
  } catch (error) {
    await app.stop();
    throw error;
  }
  return { url, logs, pid: app.child.pid ?? -1, stop: () => app.stop() };
}

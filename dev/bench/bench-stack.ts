// The comparison's own stack, beside the test stack's: a bench Directus (its own port and data
// dir) carrying both the sms-sign-in extension and the tutorial's flows, one Plivo emulator for
// both systems, a Redis, and the app started once per configuration.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { LOCAL_STACK } from '../../lib/local-stack';
import { TEST_PORTS } from '../stack/test-ports';
import { serviceTokenOf, startLocalDirectus } from '../directus/index';
import { startEmulator } from '../plivo-emulator/server';
import { startRedis } from '../stack/redis';
import { startApp, type AppInstance } from '../stack/test-stack';
import type { SoftwareAuthenticator } from '../../tests/support/software-authenticator';
import { emulatorControl } from '../../tests/support/emulator';
import { benchAppEnv } from './app-env';
import { createTutorialFlows, type TutorialFlows } from './flows';
import { memberPhone } from './members';
import { addPasskeys } from './passkeys';
import { BENCH_RP_ID, type AppTarget } from './systems';

const root = join(import.meta.dirname, '..', '..');
/** Out of the test stack's way (and, through TEST_PORT_OFFSET, of other runs). */
const PORTS = {
  directus: TEST_PORTS.directus + 50,
  emulator: TEST_PORTS.emulator + 50,
  redis: TEST_PORTS.redis + 50,
  app: TEST_PORTS.app + 50,
};
/**
 * Members with a passkey (the highest-numbered ones), signing in in turn: many people, as on a
 * site, not one passkey over and over.
 */
const PASSKEY_MEMBERS = 50;
/** The app's origin as a browser names it: passkeys need a name, not an IP address. */
const APP_ORIGIN = `http://localhost:${PORTS.app}`;

export type Strategy = 'session' | 'static';
export type Limits = 'redis' | 'memory';
export type AppConfig = { strategy: Strategy; limits: Limits; deliveryReports: boolean };
/** An app of the bench: its address, and the origin its APP_URL names (which its JSON routes accept). */
export type BenchApp = AppInstance & AppTarget;

export type BenchStack = {
  directusUrl: string;
  /** The Directus server's process, whose CPU time the bench reads. */
  directusPid: number;
  emulatorUrl: string;
  extensionKey: string;
  flows: TutorialFlows;
  members: number;
  /** Adds members (directly in SQLite) until there are `total`. */
  seedMembers(total: number): Promise<void>;
  startApp(config: AppConfig): Promise<BenchApp>;
  /**
   * The members who sign in with a passkey (added through `app`, a `session` one, the first time):
   * each one's authenticator, by phone number. Directus keeps them across the app's configurations.
   */
  passkeys(app: BenchApp): Promise<ReadonlyMap<string, SoftwareAuthenticator>>;
  stop(): Promise<void>;
};

export async function startBenchStack(members: number): Promise<BenchStack> {
  const extensionKey = randomBytes(32).toString('base64url');
  const dataDir = join(root, '.local', 'directus', `bench-${PORTS.directus}`);
  const emulatorUrl = `http://127.0.0.1:${PORTS.emulator}`;
  const [directus, emulator, redis] = await Promise.all([
    startLocalDirectus({
      port: PORTS.directus,
      dataDir,
      fresh: true,
      log: () => undefined,
      plivoApiUrl: emulatorUrl,
      // The flows' Request URL steps must reach the emulator on loopback: Directus's default deny
      // list starts with 0.0.0.0 (every local address); the cloud metadata address stays denied.
      env: {
        SMS_SIGN_IN_APP_KEY: extensionKey,
        IMPORT_IP_DENY_LIST: '169.254.169.254',
        SMS_SIGN_IN_PASSKEY_RP_ID: BENCH_RP_ID,
        SMS_SIGN_IN_PASSKEY_ORIGINS: APP_ORIGIN,
      },
      // The bench compares both strategies.
      strategies: ['session', 'static'],
    }),
    startEmulator({
      port: PORTS.emulator,
      authId: LOCAL_STACK.plivo.authId,
      authToken: LOCAL_STACK.plivo.authToken,
      appUuid: LOCAL_STACK.plivo.appUuid,
    }),
    startRedis(PORTS.redis),
  ]);
  const stops: Array<() => Promise<void>> = [() => directus.stop(), () => emulator.close(), () => redis.stop()];
  const stopAll = () => Promise.all(stops.map((stop) => stop().catch(() => undefined))).then(() => undefined);
  try {
    const { pid } = JSON.parse(await readFile(join(dataDir, 'directus-process.json'), 'utf8')) as { pid: number };
    const flows = await createTutorialFlows({
      directusUrl: directus.url,
      adminToken: directus.adminToken,
      plivoUrl: emulator.url,
      plivoAuthId: LOCAL_STACK.plivo.authId,
      plivoAuthToken: LOCAL_STACK.plivo.authToken,
      plivoAppUuid: LOCAL_STACK.plivo.appUuid,
    });
    const database = join(dataDir, 'data.db');
    const emulatorCodes = emulatorControl(emulator.url);
    let passkeys: Promise<ReadonlyMap<string, SoftwareAuthenticator>> | undefined;
    const stack: BenchStack = {
      directusUrl: directus.url,
      directusPid: pid,
      emulatorUrl: emulator.url,
      extensionKey,
      flows,
      members: 0,
      async seedMembers(total) {
        insertMembers(database, directus.memberRoleId, stack.members, total);
        stack.members = total;
      },
      async startApp(config) {
        const env = benchAppEnv(config, {
          directusUrl: directus.url,
          extensionKey,
          emulatorUrl: emulator.url,
          redisUrl: redis.url,
          serviceToken: config.strategy === 'static' ? serviceTokenOf(directus) : '',
          memberRoleId: directus.memberRoleId,
        });
        if (config.limits === 'redis') await redis.flush();
        const app = await startApp(PORTS.app, env, { host: 'localhost' });
        stops.push(() => app.stop());
        return { ...app, origin: APP_ORIGIN };
      },
      passkeys(app) {
        const phones = Array.from({ length: Math.min(PASSKEY_MEMBERS, stack.members) }, (_, i) => memberPhone(stack.members - 1 - i));
        passkeys ??= addPasskeys(app, (phone) => emulatorCodes.latestCode(phone), phones);
        return passkeys;
      },
      stop: stopAll,
    };
    await stack.seedMembers(members);
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Members `from`..`to`-1 of the member role, straight into Directus's SQLite (the API would take
 * hours for a million): one transaction, prepared statement. Directus reads users from the
 * database on every request, so nothing needs restarting.
 */
function insertMembers(file: string, role: string, from: number, to: number) {
  if (to <= from) return;
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA busy_timeout = 10000');
    // The lookups the comparison measures stand on it (directus:setup creates it, unique).
    const indexed = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'directus_users' AND sql LIKE '%phone%'")
      .get();
    if (!indexed) throw new Error('directus_users.phone has no index on the bench Directus');
    const insert = db.prepare(
      "INSERT INTO directus_users (id, first_name, phone, role, status, provider) VALUES (?, ?, ?, ?, 'active', 'default')",
    );
    db.exec('BEGIN');
    for (let i = from; i < to; i++) insert.run(randomUUID(), `Bench ${i}`, memberPhone(i), role);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

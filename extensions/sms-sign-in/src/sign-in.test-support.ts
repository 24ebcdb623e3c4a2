// For the extension's integration tests: a fresh local Directus with the extension loaded, the
// Plivo emulator it asks, and small clients for both.
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Knex } from 'knex';
import { startLocalDirectus, type LocalDirectus } from '../../../dev/directus/index';
import { installDirFor } from '../../../dev/directus/install';
import { preciseNow } from '../../../dev/plivo-emulator/clock';
import { startEmulator } from '../../../dev/plivo-emulator/server';
import { LOCAL_STACK } from '../../../lib/local-stack';
import { databaseAdmin } from '../../../dev/stack/database-server';
import { TEST_PORTS } from '../../../dev/stack/test-ports';

const { plivo } = LOCAL_STACK;

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface SignInStack {
  directus: LocalDirectus;
  emulatorUrl: string;
  /** Everything Directus printed (JSON lines), to check what the extension logs. */
  logs: string[];
  /** Moves the emulator's clock back (sessions created meanwhile look this old to Directus). */
  setEmulatorLag(seconds: number): void;
  /**
   * Directus's own database, for what no route reaches (the extension's tables): knex and its
   * drivers from the Directus install, connected as Directus is.
   */
  sql(): Knex;
  stop(): Promise<void>;
}

/** `slot` picks ports beside the test stack's (TEST_PORTS + slot), one slot per test file. */
export async function startSignInStack({ slot, env = {} }: { slot: number; env?: Record<string, string> }): Promise<SignInStack> {
  let lagMs = 0;
  const port = TEST_PORTS.directus + slot;
  const emulator = await startEmulator({
    port: TEST_PORTS.emulator + slot,
    authId: plivo.authId,
    authToken: plivo.authToken,
    appUuid: plivo.appUuid,
    now: () => preciseNow() - lagMs,
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'sms-sign-in-int-'));
  const logs: string[] = [];
  let directus: LocalDirectus;
  // On the database server the suite's global setup started (TEST_DATABASE), else SQLite.
  const server = inject('databaseServer');
  const database = server ? databaseAdmin(server) : undefined;
  let sql: Knex | undefined;
  try {
    directus = await startLocalDirectus({
      port,
      dataDir,
      fresh: true,
      plivoApiUrl: emulator.url,
      log: (line) => logs.push(line),
      env: { LOG_LEVEL: 'info', ...env },
      database,
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return {
    directus,
    emulatorUrl: emulator.url,
    logs,
    setEmulatorLag: (seconds) => (lagMs = seconds * 1000),
    sql() {
      if (sql) return sql;
      const knex = createRequire(join(installDirFor(), 'package.json'))('knex') as (config: Knex.Config) => Knex;
      if (!database) {
        sql = knex({ client: 'sqlite3', connection: { filename: join(dataDir, 'data.db') }, useNullAsDefault: true });
      } else {
        const env = database.directusEnv(`directus_${port}`);
        sql = knex({
          client: env.DB_CLIENT === 'pg' ? 'pg' : 'mysql2',
          connection: {
            host: env.DB_HOST,
            port: Number(env.DB_PORT),
            user: env.DB_USER,
            password: env.DB_PASSWORD,
            database: env.DB_DATABASE,
          },
        });
      }
      return sql;
    },
    async stop() {
      await sql?.destroy();
      await Promise.all([directus.stop(), emulator.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** The admin's REST API; throws on an error status. */
export async function admin<T>(
  directus: LocalDirectus,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<T> {
  const reply = await call<{ data: T }>(`${directus.url}${path}`, {
    method,
    body,
    headers: { Authorization: `Bearer ${directus.adminToken}` },
  });
  if (reply.status >= 300) throw new Error(`${method} ${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body?.data as T;
}

let phoneCounter = 0;
/** A fresh UK mobile number per call, so tests do not share members. */
export function nextPhone(): string {
  phoneCounter += 1;
  return `+4474009${String(10_000 + ((process.pid * 7 + phoneCounter) % 89_999)).padStart(5, '0')}`;
}

export async function createUser(directus: LocalDirectus, fields: Record<string, unknown>): Promise<string> {
  const user = await admin<{ id: string }>(directus, '/users?fields=id', {
    first_name: 'Test',
    last_name: 'Member',
    email: `member-${randomUUID()}@example.com`,
    status: 'active',
    role: directus.memberRoleId,
    ...fields,
  });
  return user.id;
}

const plivoAuth = { Authorization: `Basic ${Buffer.from(`${plivo.authId}:${plivo.authToken}`).toString('base64')}` };

/** Starts a Plivo Verify session through the emulator's Plivo API, as the app does. */
export async function startPlivoSession(emulatorUrl: string, phone: string): Promise<string> {
  const reply = await call<{ session_uuid: string }>(`${emulatorUrl}/v1/Account/${plivo.authId}/Verify/Session/`, {
    body: { recipient: phone, app_uuid: plivo.appUuid, channel: 'sms' },
    headers: plivoAuth,
  });
  if (reply.status !== 200) throw new Error(`emulator create: HTTP ${reply.status}`);
  return reply.body.session_uuid;
}

/** Types the right code (read from the emulator's inbox), so the session becomes `verified`. */
export async function validatePlivoSession(emulatorUrl: string, phone: string, uuid: string): Promise<void> {
  const inbox = await call<{ sessions: { session_uuid: string; code: string }[] }>(
    `${emulatorUrl}/dev/sessions?recipient=${encodeURIComponent(phone)}`,
  );
  const code = inbox.body.sessions.find((s) => s.session_uuid === uuid)?.code;
  const reply = await call(`${emulatorUrl}/v1/Account/${plivo.authId}/Verify/Session/${uuid}/`, {
    body: { otp: code },
    headers: plivoAuth,
  });
  if (reply.status !== 200) throw new Error(`emulator validate: HTTP ${reply.status}`);
}

export async function verifiedPlivoSession(emulatorUrl: string, phone: string): Promise<string> {
  const uuid = await startPlivoSession(emulatorUrl, phone);
  await validatePlivoSession(emulatorUrl, phone, uuid);
  return uuid;
}

export interface IssueBody {
  phone: string;
  plivo_session_uuid: string;
  ip?: string;
  user_agent?: string | null;
  member?: string;
  sign_up?: boolean;
}

export interface Issued {
  access_token: string;
  expires: number;
  expires_at: string;
  member: { id: string; first_name: string | null; last_name: string | null; email: string | null; phone: string | null };
}

export function issue(directus: LocalDirectus, body: IssueBody, key = directus.signInKey): Promise<Reply> {
  return call(`${directus.url}/sms-sign-in/issue`, {
    body: { ip: '203.0.113.7', user_agent: 'TestBrowser/1.0', ...body },
    headers: { 'X-SMS-Sign-In-Key': key },
  });
}

/** Verifies a fresh Plivo session for the phone and issues; expects success. */
export async function signIn(stack: SignInStack, phone: string, userAgent = 'TestBrowser/1.0'): Promise<Issued> {
  const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
  const reply = await issue(stack.directus, { phone, plivo_session_uuid: uuid, user_agent: userAgent });
  if (reply.status !== 200) throw new Error(`issue: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as unknown as Issued;
}

export function asMember(
  directus: LocalDirectus,
  path: string,
  accessToken: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Reply> {
  return call(`${directus.url}${path}`, { ...init, headers: { Authorization: `Bearer ${accessToken}` } });
}

/** RFC 6238 TOTP as Directus checks it (otplib defaults: SHA-1, 6 digits, 30 s), for enabling two-factor. */
export function totp(base32Secret: string, now = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32Secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// The local Directus for dev and tests: SQLite in a data dir, started as a Node 22 child process,
// then set up (scripts/directus-setup) and seeded (service account + demo member).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { LOCAL_STACK } from '../../lib/local-stack';
import { formatReport, runSetup } from '../../scripts/directus-setup/setup';
import { childEnv, DIRECTUS_VERSION, directusCliPath, ensureDirectusInstalled, pidAlive, type Log } from './install';
import { startService } from '../stack/service';
import { createLocalMemberRole, seedLocalDirectus } from './seed';
import { seedMembersArea } from './seed-members';
import { ensureExtensionBuilt, installExtension, signInExtensionEnv } from './sign-in-extension';

export const LOCAL_MEMBER_ROLE = 'Member';

export interface StartOptions {
  port: number;
  dataDir: string;
  /** Wipe dataDir first (a fresh database). */
  fresh?: boolean;
  log?: Log;
  /** Extra Directus env (e.g. EXTENSIONS_PATH for a local extension). */
  env?: Record<string, string>;
  /** How long to wait for /server/ping after start (default 90 s). */
  readyTimeoutMs?: number;
  /** Where the sms-sign-in extension asks Plivo: the emulator's URL (default LOCAL_STACK.plivo.apiUrl). */
  plivoApiUrl?: string;
}

export interface LocalDirectus {
  url: string;
  adminToken: string;
  serviceToken: string;
  /** Id of the seeded member role (no Studio access). */
  memberRoleId: string;
  /** The sms-sign-in extension's app key (header X-SMS-Sign-In-Key); routes under `${url}/sms-sign-in/`. */
  signInKey: string;
  /** True when an already running instance of ours was reused (stop() then leaves it running). */
  reused: boolean;
  timings: { installMs: number; bootstrapMs: number | null; startMs: number; setupMs: number; totalMs: number };
  stop(): Promise<void>;
}

interface StateFile {
  pid: number;
  port: number;
  dataDir: string;
  directus: string;
  ownerPid: number;
  startedAt: string;
}

const STATE_FILE = 'directus-process.json';
/** The member role id the sign-in extension was last configured with (data dirs seeded before the fixed id). */
const MEMBER_ROLE_FILE = 'member-role-id.txt';
const defaultLog: Log = (line) => console.log(`[directus] ${line}`);


async function ping(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/server/ping`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok && (await res.text()).trim() === 'pong';
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const srv = createServer();
    srv.once('error', () => resolvePort(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePort(true)));
  });
}

async function readState(dataDir: string): Promise<StateFile | null> {
  try {
    return JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8')) as StateFile;
  } catch {
    return null;
  }
}

async function adminTokenWorks(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/users/me?fields=id`, {
      headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}` },
      signal: AbortSignal.timeout(3000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

async function ensureSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'secret.txt');
  try {
    const s = (await readFile(file, 'utf8')).trim();
    if (s.length >= 32) return s;
  } catch {
    // first run
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function directusEnv(port: number, dataDir: string, secret: string, extra: Record<string, string> = {}): Record<string, string> {
  const d = LOCAL_STACK.directus;
  return {
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DB_CLIENT: 'sqlite3',
    DB_FILENAME: join(dataDir, 'data.db'),
    SECRET: secret,
    ADMIN_EMAIL: d.adminEmail,
    ADMIN_PASSWORD: d.adminPassword,
    ADMIN_TOKEN: d.adminToken,
    PROJECT_OWNER_ENABLED: 'false',
    TELEMETRY: 'false',
    LOG_LEVEL: 'warn',
    LOG_STYLE: 'raw',
    STORAGE_LOCATIONS: 'local',
    STORAGE_LOCAL_ROOT: join(dataDir, 'uploads'),
    EXTENSIONS_PATH: join(dataDir, 'extensions'),
    CONFIG_PATH: join(dataDir, '.env'),
    ...extra,
  };
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
// Expected on this setup and harmless: no Spatialite in SQLite builds.
const IGNORED = [/Spatialite isn't installed/];

/** Directus logs JSON lines (LOG_STYLE=raw): print `level: msg`, drop known noise. */
export function formatLogLine(line: string): string | null {
  let text = line;
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    if (entry && typeof entry === 'object' && typeof entry.msg === 'string') {
      const err = entry.err?.message && entry.err.message !== entry.msg ? ` (${entry.err.message})` : '';
      text = `${LEVELS[entry.level ?? 30] ?? 'log'}: ${entry.msg}${err}`;
    }
  } catch {
    // not JSON: print as is
  }
  return IGNORED.some((re) => re.test(text)) ? null : text;
}

/** Keeps the last lines of a child's output for error messages. */
function captureOutput(child: ChildProcess, onLine?: (line: string) => void): string[] {
  const tail: string[] = [];
  const onData = (buf: Buffer) => {
    for (const raw of buf.toString('utf8').split(/\r?\n/)) {
      const line = raw.trimEnd();
      if (!line) continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return tail;
}

function runToEnd(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, label: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = captureOutput(child);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${label} failed (exit ${code}). Last output:\n${tail.join('\n')}`)),
    );
  });
}

export async function startLocalDirectus(options: StartOptions): Promise<LocalDirectus> {
  const log = options.log ?? defaultLog;
  const t0 = Date.now();
  const { port } = options;
  const dataDir = resolve(options.dataDir);
  const url = `http://127.0.0.1:${port}`;
  const d = LOCAL_STACK.directus;

  // Is something already on the port?
  if (await ping(url)) {
    const state = await readState(dataDir);
    const ours = !!state && state.port === port && state.dataDir === dataDir && pidAlive(state.pid) && (await adminTokenWorks(url));
    if (!ours) {
      throw new Error(
        `Port ${port} is already serving a Directus that was not started for ${dataDir}. Stop it or use another port.`,
      );
    }
    if (options.fresh) {
      throw new Error(
        `Port ${port} is serving the local Directus for ${dataDir} (pid ${state.pid}); stop it before starting with fresh data.`,
      );
    }
    log(`reusing the local Directus already running on ${url} (pid ${state.pid}, data ${dataDir})`);
    const setupStarted = Date.now();
    const memberRoleId = await setupAndSeed(url, log);
    return {
      url,
      adminToken: d.adminToken,
      serviceToken: d.serviceToken,
      memberRoleId,
      signInKey: d.signInKey,
      reused: true,
      timings: { installMs: 0, bootstrapMs: null, startMs: 0, setupMs: Date.now() - setupStarted, totalMs: Date.now() - t0 },
      stop: async () => undefined,
    };
  }
  if (!(await portFree(port))) {
    throw new Error(`Port ${port} (127.0.0.1) is in use by another program that is not Directus. Stop it or use another port.`);
  }

  const installDir = await ensureDirectusInstalled(log);
  const installMs = Date.now() - t0;

  if (options.fresh) {
    log(`fresh start: wiping ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true });
  }
  await mkdir(join(dataDir, 'uploads'), { recursive: true });
  await mkdir(join(dataDir, 'extensions'), { recursive: true });
  // Directus looks for package extensions in the package.json next to its config.
  if (!existsSync(join(dataDir, 'package.json'))) {
    await writeFile(join(dataDir, 'package.json'), `${JSON.stringify({ name: 'local-directus-data', private: true }, null, 2)}\n`);
  }
  const secret = await ensureSecret(dataDir);
  const extensionRoleId = (await readFile(join(dataDir, MEMBER_ROLE_FILE), 'utf8').catch(() => d.memberRoleId)).trim();
  const env = directusEnv(port, dataDir, secret, {
    ...signInExtensionEnv(extensionRoleId, options.plivoApiUrl ?? LOCAL_STACK.plivo.apiUrl),
    ...options.env,
  });
  await ensureExtensionBuilt(log);
  await installExtension(env.EXTENSIONS_PATH ?? join(dataDir, 'extensions'));
  await writeFile(
    join(dataDir, '.env'),
    `# Written by dev/directus (local development only; regenerated on every start)\n${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  const cli = directusCliPath(installDir);
  const nodeArgs = ['--no-node-snapshot', cli];
  const spawnEnv = childEnv(env);

  // Bootstrap (schema + admin) on first run, or after a Directus version change.
  let bootstrapMs: number | null = null;
  const marker = join(dataDir, '.bootstrapped');
  const bootstrappedVersion = existsSync(marker) ? (await readFile(marker, 'utf8')).trim() : null;
  if (!existsSync(env.DB_FILENAME ?? '') || bootstrappedVersion !== DIRECTUS_VERSION) {
    log(`bootstrapping the database in ${dataDir}`);
    const b0 = Date.now();
    await runToEnd(process.execPath, [...nodeArgs, 'bootstrap'], dataDir, spawnEnv, 'directus bootstrap');
    bootstrapMs = Date.now() - b0;
    await writeFile(marker, `${DIRECTUS_VERSION}\n`);
    log(`bootstrapped in ${(bootstrapMs / 1000).toFixed(1)}s`);
  }

  // Start.
  const s0 = Date.now();
  const tail: string[] = [];
  const service = startService('directus', process.execPath, [...nodeArgs, 'start'], {
    cwd: dataDir,
    env: spawnEnv,
    quiet: true,
    graceMs: 10_000,
    onLine: (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      const text = formatLogLine(line);
      if (text !== null) log(`directus: ${text}`);
    },
  });
  const { child } = service;
  const exited = () => (child.exitCode === null && child.signalCode === null ? null : (child.signalCode ?? `exit ${child.exitCode}`));

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await service.stop();
    const state = await readState(dataDir);
    if (state?.pid === child.pid) await rm(join(dataDir, STATE_FILE), { force: true });
  };

  try {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
    for (;;) {
      if (exited() !== null) throw new Error(`Directus exited (${exited()}) before answering on ${url}. Last output:\n${tail.join('\n')}`);
      if (await ping(url)) break;
      if (Date.now() > deadline) {
        throw new Error(`Directus did not answer ${url}/server/ping within ${Math.round((options.readyTimeoutMs ?? 90_000) / 1000)}s. Last output:\n${tail.join('\n') || '(none)'}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const startMs = Date.now() - s0;
    log(`ready on ${url} after ${(startMs / 1000).toFixed(1)}s`);
    const state: StateFile = {
      pid: child.pid ?? -1,
      port,
      dataDir,
      directus: DIRECTUS_VERSION,
      ownerPid: process.pid,
      startedAt: new Date().toISOString(),
    };
    await writeFile(join(dataDir, STATE_FILE), JSON.stringify(state, null, 2));

    const setupStarted = Date.now();
    const memberRoleId = await setupAndSeed(url, log);
    const setupMs = Date.now() - setupStarted;
    if (memberRoleId !== extensionRoleId) {
      // A data dir seeded before the member role had a fixed id: tell the extension once, by restarting.
      await writeFile(join(dataDir, MEMBER_ROLE_FILE), `${memberRoleId}\n`);
      log('restarting Directus once so that the sms-sign-in extension knows the member role');
      await stop();
      return startLocalDirectus({ ...options, fresh: false });
    }
    return {
      url,
      adminToken: d.adminToken,
      serviceToken: d.serviceToken,
      memberRoleId,
      signInKey: env.SMS_SIGN_IN_APP_KEY ?? d.signInKey,
      reused: false,
      timings: { installMs, bootstrapMs, startMs, setupMs, totalMs: Date.now() - t0 },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function setupAndSeed(url: string, log: Log): Promise<string> {
  await createLocalMemberRole({ url, adminToken: LOCAL_STACK.directus.adminToken, name: LOCAL_MEMBER_ROLE });
  // The extension is configured by startLocalDirectus itself (and misconfigured by some tests on purpose).
  const report = await runSetup({ url, token: LOCAL_STACK.directus.adminToken, createMemberRole: LOCAL_MEMBER_ROLE, credentials: 'none' });
  if (report.changes.length > 0 || report.problems.length > 0) for (const line of formatReport(report)) log(`setup: ${line}`);
  else log('setup: fields and member role already in place');
  if (report.problems.length > 0) throw new Error(`directus:setup found problems on the local Directus (see above).`);
  const { id: memberRoleId, policyId: memberPolicyId } = report.memberRole ?? {};
  if (!memberRoleId || !memberPolicyId) throw new Error('directus:setup did not report the member role and its policy');
  await seedLocalDirectus({ url, adminToken: LOCAL_STACK.directus.adminToken, memberRoleId, log });
  await seedMembersArea({ url, adminToken: LOCAL_STACK.directus.adminToken, memberPolicyId, log });
  return memberRoleId;
}

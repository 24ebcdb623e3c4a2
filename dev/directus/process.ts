// The local Directus's process: bootstrapped once per database and Directus version, started,
// ready once it answers /server/ping, and recorded in a state file so a later start can reuse it.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { outputTail } from '../stack/output-tail';
import { startService } from '../stack/service';
import { answersHttp, waitForHttp } from '../stack/wait';
import { childEnv, runToEnd, type Log } from './child';
import { DIRECTUS_VERSION, directusCliPath } from './install';

const STATE_FILE = 'directus-process.json';

export interface StateFile {
  pid: number;
  port: number;
  dataDir: string;
  directus: string;
  ownerPid: number;
  startedAt: string;
}

export type ProcessOptions = { installDir: string; dataDir: string; env: Record<string, string>; log: Log };

const isPong = async (response: Response) => response.ok && (await response.text()).trim() === 'pong';

/** One request: does a Directus answer on `url`? */
export function pingDirectus(url: string): Promise<boolean> {
  return answersHttp(`${url}/server/ping`, { ready: isPong, timeoutMs: 1000 });
}

export async function readState(dataDir: string): Promise<StateFile | null> {
  try {
    return JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8')) as StateFile;
  } catch {
    return null;
  }
}

/** The Directus CLI under this Node; --no-node-snapshot is what its isolated-vm needs. */
function directusArgs(installDir: string, command: string): string[] {
  return ['--no-node-snapshot', directusCliPath(installDir), command];
}

const BOOTSTRAP_MARKER = '.bootstrapped';

/** `directus bootstrap`: creates the schema and the admin in a new database, migrates an older one. */
export async function bootstrap({ installDir, dataDir, env, log }: ProcessOptions): Promise<void> {
  await runToEnd(process.execPath, directusArgs(installDir, 'bootstrap'), {
    cwd: dataDir,
    env: childEnv(env),
    log,
    label: 'directus bootstrap',
  });
}

/** Records that the data dir's database is bootstrapped for this Directus version. */
export async function markBootstrapped(dataDir: string): Promise<void> {
  await writeFile(join(dataDir, BOOTSTRAP_MARKER), `${DIRECTUS_VERSION}\n`);
}

/**
 * Bootstraps an existing database again after a Directus version change (a new database is a copy
 * of a bootstrapped one, ./template.ts); returns how long it took, or null.
 */
export async function bootstrapIfOutdated(options: ProcessOptions): Promise<number | null> {
  const marker = join(options.dataDir, BOOTSTRAP_MARKER);
  if (existsSync(marker) && (await readFile(marker, 'utf8')).trim() === DIRECTUS_VERSION) return null;
  options.log(`bootstrapping the database in ${options.dataDir}`);
  const started = Date.now();
  await bootstrap(options);
  await markBootstrapped(options.dataDir);
  const bootstrapMs = Date.now() - started;
  options.log(`bootstrapped in ${(bootstrapMs / 1000).toFixed(1)}s`);
  return bootstrapMs;
}

export type DirectusProcess = { startMs: number; stop(): Promise<void> };

/** Starts Directus and waits until it answers on `url`; stops it again if it does not. */
export async function runDirectus(
  options: ProcessOptions & { port: number; url: string; readyTimeoutMs: number },
): Promise<DirectusProcess> {
  const { dataDir, url, log } = options;
  const started = Date.now();
  const tail = outputTail();
  const service = startService('directus', process.execPath, directusArgs(options.installDir, 'start'), {
    cwd: dataDir,
    env: childEnv(options.env),
    quiet: true,
    graceMs: 10_000,
    onLine: (line) => {
      tail.add(line);
      const text = formatLogLine(line);
      if (text !== null) log(`directus: ${text}`);
    },
  });
  const { child } = service;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await service.stop();
    const state = await readState(dataDir);
    if (state?.pid === child.pid) await rm(join(dataDir, STATE_FILE), { force: true });
  };

  try {
    await waitForHttp(`${url}/server/ping`, { ready: isPong, timeoutMs: options.readyTimeoutMs, service, lastOutput: tail.text });
    const startMs = Date.now() - started;
    log(`ready on ${url} after ${(startMs / 1000).toFixed(1)}s`);
    const state: StateFile = {
      pid: child.pid ?? -1,
      port: options.port,
      dataDir,
      directus: DIRECTUS_VERSION,
      ownerPid: process.pid,
      startedAt: new Date().toISOString(),
    };
    await writeFile(join(dataDir, STATE_FILE), JSON.stringify(state, null, 2));
    return { startMs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
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

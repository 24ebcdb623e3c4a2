// The local Directus for dev and tests: SQLite in a data dir (or a database of a PostgreSQL or
// MariaDB server, dev/stack/database-server.ts), started as a Node 22 child process, then set up
// (scripts/directus-setup) and seeded (demo member; the service account only for the static
// strategy). Each phase has its file: port-check, install, data-dir, template (a new database),
// process (bootstrap, start, ready, stop), setup-and-seed.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { LOCAL_STACK } from '../../lib/local-stack';
import type { Credentials } from '../../scripts/directus-setup/extension';
import type { DatabaseAdmin } from '../stack/database-server';
import type { Log } from './child';
import { prepareDataDir, rememberMemberRole } from './data-dir';
import { ensureDirectusInstalled } from './install';
import { runningDirectusToReuse } from './port-check';
import { bootstrapIfOutdated, runDirectus } from './process';
import { newBootstrappedDatabase } from './template';
import { setupAndSeed } from './setup-and-seed';

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
  /**
   * The credential strategies of the apps that will use it (default session only). `static` adds
   * what only that strategy needs: the token_expires_at field and the app's service account.
   */
  strategies?: readonly Credentials[];
  /**
   * A PostgreSQL or MariaDB server to keep the data in, as the database `directus_<port>`
   * (default: SQLite in the data dir). With `fresh`, that database is new and is dropped at stop.
   */
  database?: DatabaseAdmin;
}

export interface LocalDirectus {
  url: string;
  adminToken: string;
  /** The service account's static token (DIRECTUS_TOKEN), present only when `strategies` includes static. */
  serviceToken?: string;
  /** Id of the seeded member role (no Studio access). */
  memberRoleId: string;
  /** The sms-sign-in extension's app key (header X-SMS-Sign-In-Key); routes under `${url}/sms-sign-in/`. */
  signInKey: string;
  /** True when an already running instance of ours was reused (stop() then leaves it running). */
  reused: boolean;
  timings: { installMs: number; bootstrapMs: number | null; startMs: number; setupMs: number; totalMs: number };
  stop(): Promise<void>;
}

const defaultLog: Log = (line) => console.log(`[directus] ${line}`);

export async function startLocalDirectus(options: StartOptions): Promise<LocalDirectus> {
  const log = options.log ?? defaultLog;
  const started = Date.now();
  const { port } = options;
  const dataDir = resolve(options.dataDir);
  const url = `http://127.0.0.1:${port}`;
  const strategies = options.strategies ?? ['session'];

  const reusedPid = await runningDirectusToReuse({ port, url, dataDir, fresh: options.fresh });
  if (reusedPid !== null) {
    log(`reusing the local Directus already running on ${url} (pid ${reusedPid}, data ${dataDir})`);
    const setupStarted = Date.now();
    const memberRoleId = await setupAndSeed(url, log, strategies);
    const timings = { installMs: 0, bootstrapMs: null, startMs: 0, setupMs: Date.now() - setupStarted, totalMs: Date.now() - started };
    return localDirectus(url, memberRoleId, strategies, {
      signInKey: LOCAL_STACK.directus.signInKey,
      reused: true,
      timings,
      stop: async () => undefined,
    });
  }

  const installDir = await ensureDirectusInstalled(log);
  const installMs = Date.now() - started;
  const plivoApiUrl = options.plivoApiUrl ?? LOCAL_STACK.plivo.apiUrl;
  const { database } = options;
  const databaseName = `directus_${port}`;
  const { env, extensionRoleId } = await prepareDataDir({
    port,
    dataDir,
    fresh: options.fresh,
    plivoApiUrl,
    databaseEnv: database?.directusEnv(databaseName),
    env: options.env,
    log,
  });
  const processOptions = { installDir, dataDir, env, log };
  const databaseIsNew = database ? !!options.fresh || !(await database.exists(databaseName)) : !existsSync(env.DB_FILENAME!);
  const bootstrapMs = databaseIsNew
    ? await newBootstrappedDatabase({ ...processOptions, database, databaseName })
    : await bootstrapIfOutdated(processOptions);
  const directus = await runDirectus({ ...processOptions, port, url, readyTimeoutMs: options.readyTimeoutMs ?? 90_000 });
  const stop = async () => {
    await directus.stop();
    if (database && options.fresh) await database.drop(databaseName);
  };
  try {
    const setupStarted = Date.now();
    const memberRoleId = await setupAndSeed(url, log, strategies);
    const setupMs = Date.now() - setupStarted;
    if (memberRoleId !== extensionRoleId) {
      // A data dir seeded before the member role had a fixed id: tell the extension once, by restarting.
      await rememberMemberRole(dataDir, memberRoleId);
      log('restarting Directus once so that the sms-sign-in extension knows the member role');
      await directus.stop();
      return startLocalDirectus({ ...options, fresh: false });
    }
    const timings = { installMs, bootstrapMs, startMs: directus.startMs, setupMs, totalMs: Date.now() - started };
    const signInKey = env.SMS_SIGN_IN_APP_KEY ?? LOCAL_STACK.directus.signInKey;
    return localDirectus(url, memberRoleId, strategies, { signInKey, reused: false, timings, stop });
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The service account's token, for an app on the static strategy: start with `strategies` including static. */
export function serviceTokenOf(directus: LocalDirectus): string {
  if (!directus.serviceToken)
    throw new Error('This local Directus was started without the static strategy: no service account (pass strategies).');
  return directus.serviceToken;
}

function localDirectus(
  url: string,
  memberRoleId: string,
  strategies: readonly Credentials[],
  rest: Pick<LocalDirectus, 'signInKey' | 'reused' | 'timings' | 'stop'>,
): LocalDirectus {
  const { adminToken, serviceToken } = LOCAL_STACK.directus;
  return { url, adminToken, ...(strategies.includes('static') ? { serviceToken } : {}), memberRoleId, ...rest };
}

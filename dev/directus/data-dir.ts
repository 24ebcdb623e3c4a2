// A local Directus's data dir: its SQLite database, uploads, extensions, secret and the .env
// written on every start from the local defaults (lib/local-stack.ts).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { LOCAL_STACK } from '../../lib/local-stack';
import type { Log } from './child';
import { ensureExtensionBuilt, installExtension, signInExtensionEnv } from './sign-in-extension';

/** The member role id the sign-in extension was last configured with (data dirs seeded before the fixed id). */
const MEMBER_ROLE_FILE = 'member-role-id.txt';

export type PreparedDataDir = {
  /** Directus's environment, as also written to the data dir's .env. */
  env: Record<string, string>;
  /** The member role the sign-in extension was configured with. */
  extensionRoleId: string;
};

/** Wipes the data dir if `fresh`, lays it out, installs the sign-in extension and writes the env. */
export async function prepareDataDir(options: {
  port: number;
  dataDir: string;
  fresh?: boolean;
  plivoApiUrl: string;
  /** Directus's DB_* settings (default: SQLite in the data dir). */
  databaseEnv?: Record<string, string>;
  env?: Record<string, string>;
  log: Log;
}): Promise<PreparedDataDir> {
  const { dataDir, log } = options;
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
  const extensionRoleId = (await readFile(join(dataDir, MEMBER_ROLE_FILE), 'utf8').catch(() => LOCAL_STACK.directus.memberRoleId)).trim();
  const env = directusEnv(
    options.port,
    dataDir,
    secret,
    { ...signInExtensionEnv(extensionRoleId, options.plivoApiUrl), ...options.env },
    options.databaseEnv,
  );
  await ensureExtensionBuilt(log);
  await installExtension(env.EXTENSIONS_PATH ?? join(dataDir, 'extensions'));
  await writeFile(
    join(dataDir, '.env'),
    `# Written by dev/directus (local development only; regenerated on every start)\n${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  return { env, extensionRoleId };
}

/** Tells the next start which member role to configure the sign-in extension with. */
export async function rememberMemberRole(dataDir: string, memberRoleId: string): Promise<void> {
  await writeFile(join(dataDir, MEMBER_ROLE_FILE), `${memberRoleId}\n`);
}

/** The SQLite database a data dir holds unless the Directus is given another. */
export function sqliteEnv(dataDir: string): Record<string, string> {
  return { DB_CLIENT: 'sqlite3', DB_FILENAME: join(dataDir, 'data.db') };
}

export function directusEnv(
  port: number,
  dataDir: string,
  secret: string,
  extra: Record<string, string> = {},
  database = sqliteEnv(dataDir),
): Record<string, string> {
  const d = LOCAL_STACK.directus;
  return {
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...database,
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

/** The data dir keeps its secret across starts, so sessions and tokens signed before stay valid. */
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

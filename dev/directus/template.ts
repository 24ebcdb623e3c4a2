// A new database is a copy of one bootstrapped before, not bootstrapped again: `directus bootstrap`
// is the largest part of a fresh start (dev/directus/README.md, "Timings"), and the test suites
// start a fresh Directus per file, on each database. One template per database kind, Directus
// version and admin account (what bootstrap writes), kept: a SQLite file under .local/directus/templates,
// a database of the PostgreSQL or MariaDB server.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import type { DatabaseAdmin } from '../stack/database-server';
import { DIRECTUS_VERSION } from './install';
import { bootstrap, markBootstrapped, type ProcessOptions } from './process';

const root = join(import.meta.dirname, '..', '..');

function templateName(env: Record<string, string>): string {
  const bootstrapped = [DIRECTUS_VERSION, env.ADMIN_EMAIL, env.ADMIN_PASSWORD, env.ADMIN_TOKEN].join('\n');
  return `directus_template_${createHash('sha256').update(bootstrapped).digest('hex').slice(0, 12)}`;
}

/**
 * Bootstraps the template. Its settings come from the environment alone: Directus reads the data
 * dir's .env (CONFIG_PATH) over the environment, and that file names the Directus's own database.
 */
function bootstrapTemplate(options: ProcessOptions, templateDatabase: Record<string, string>): Promise<void> {
  return bootstrap({ ...options, env: { ...options.env, ...templateDatabase, CONFIG_PATH: join(options.dataDir, 'no-config-file') } });
}

const sqliteTemplateFile = (template: string) => join(root, '.local', 'directus', 'templates', `${template}.db`);

/**
 * Templates being made in this process, by name (and server): a second Directus start that needs
 * one at the same time (the browser tests start a stack per worker at once) waits for the first's
 * instead of bootstrapping the same database, or the same partial file, beside it.
 */
const templatesUnderWay = new Map<string, Promise<void>>();

function templateReady(template: string, database: DatabaseAdmin | undefined, make: () => Promise<void>): Promise<void> {
  const key = JSON.stringify(database?.directusEnv(template) ?? template);
  let underWay = templatesUnderWay.get(key);
  if (!underWay) {
    underWay = make().finally(() => templatesUnderWay.delete(key));
    templatesUnderWay.set(key, underWay);
  }
  return underWay;
}

async function makeTemplate(options: ProcessOptions & { database?: DatabaseAdmin }, template: string): Promise<void> {
  const { database, log } = options;
  if (database) {
    if (await database.isTemplate(template)) return;
    log(`bootstrapping the template database ${template}`);
    await database.create(template);
    await bootstrapTemplate(options, database.directusEnv(template));
    await database.markTemplate(template);
    return;
  }
  const file = sqliteTemplateFile(template);
  if (existsSync(file)) return;
  log(`bootstrapping the template database ${file}`);
  await mkdir(dirname(file), { recursive: true });
  // Complete or absent: bootstrapped under another name, then renamed.
  const partial = `${file}.tmp-${process.pid}`;
  await rm(partial, { force: true });
  await bootstrapTemplate(options, { DB_FILENAME: partial });
  await rename(partial, file);
}

/**
 * Gives the Directus a new, bootstrapped database: `databaseName` on the server, else the SQLite
 * file of its env (DB_FILENAME). Returns how long it took.
 */
export async function newBootstrappedDatabase(
  options: ProcessOptions & { database?: DatabaseAdmin; databaseName: string },
): Promise<number> {
  const { database, env } = options;
  const started = Date.now();
  const template = templateName(env);
  await templateReady(template, database, () => makeTemplate(options, template));
  if (database) await database.clone(template, options.databaseName);
  else await copyFile(sqliteTemplateFile(template), env.DB_FILENAME!);
  await markBootstrapped(options.dataDir);
  return Date.now() - started;
}

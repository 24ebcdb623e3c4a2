// The database servers a local Directus can run on besides SQLite: PostgreSQL and MariaDB (for
// MySQL), each a server of our own (not the system's service) on 127.0.0.1, its data under the
// checkout's .local/databases/ (initialised once, then kept), started per run like Redis and
// stopped at its end, with one fresh database per Directus start.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { outputTail } from './output-tail';
import { startService, type Service } from './service';
import { TEST_PORTS, type TestPorts } from './test-ports';
import { waitFor } from './wait';

/** Directus's DB_CLIENT names of the databases the local Directus runs on. */
export const DATABASE_CLIENTS = ['sqlite3', 'pg', 'mysql'] as const;
export type DatabaseClient = (typeof DATABASE_CLIENTS)[number];
export type ServerClient = Exclude<DatabaseClient, 'sqlite3'>;

/** Plain data, so that a test worker can reach a server its global setup started. */
export type DatabaseServerInfo = { client: ServerClient; port: number; dataDir: string };

/** A running server's databases, as a local Directus uses them. */
export interface DatabaseAdmin {
  info: DatabaseServerInfo;
  /** Directus's DB_* settings for one database of this server. */
  directusEnv(database: string): Record<string, string>;
  exists(database: string): Promise<boolean>;
  /** A new, empty database (an old one of that name is dropped first). */
  create(database: string): Promise<void>;
  drop(database: string): Promise<void>;
  /** A new database (as create) with the tables and rows of `template`. */
  clone(template: string, database: string): Promise<void>;
  /** Whether `template` was completed (markTemplate) and still exists. */
  isTemplate(template: string): Promise<boolean>;
  markTemplate(template: string): Promise<void>;
}

export type DatabaseServer = DatabaseAdmin & { stop(): Promise<void> };

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
/** The MariaDB account Directus connects with (local only, bound to 127.0.0.1). */
const MYSQL_USER = { name: 'directus', password: 'local-directus-db-password' };
const INSTALL_HINT: Record<ServerClient, string> = {
  pg: 'PostgreSQL server binaries (Debian: apt-get install postgresql)',
  mysql: 'MariaDB (Debian: apt-get install mariadb-server)',
};

/** Where `npm run directus -- --database pg|mysql` starts its server (the tests use TEST_PORTS). */
export const DEV_DATABASE_PORTS = { pg: 5439, mysql: 3315 } as const;

/** `value` as a database client, or an error naming the setting it came from. */
export function databaseClient(value: string, setting: string): DatabaseClient {
  if (!(DATABASE_CLIENTS as readonly string[]).includes(value))
    throw new Error(`${setting} must be one of ${DATABASE_CLIENTS.join(', ')} (got "${value}")`);
  return value as DatabaseClient;
}

/** Which database the tests' Directus runs on: TEST_DATABASE, default sqlite3. */
export function testDatabaseClient(env: Record<string, string | undefined> = process.env): DatabaseClient {
  return databaseClient(env.TEST_DATABASE || 'sqlite3', 'TEST_DATABASE');
}

/** The server the tests' Directus keeps its data in (TEST_DATABASE), started on its test port; none for SQLite. */
export async function startTestDatabaseServer(ports: TestPorts = TEST_PORTS): Promise<DatabaseServer | undefined> {
  const client = testDatabaseClient();
  return client === 'sqlite3' ? undefined : startDatabaseServer(client, ports[client]);
}

/** PostgreSQL's server programs: the newest /usr/lib/postgresql/<version>/bin (Debian), else PATH. */
function postgresBin(program: string): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', program))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(base, newest, 'bin', program) : program;
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` account. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function runOrExplain(what: string, command: string, args: string[]): Promise<string> {
  try {
    return (await run(command, args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${what} failed: ${(stderr || message).trim().split('\n').slice(-10).join('\n')}`);
  }
}

function mysqlSocket(dataDir: string): string {
  return join(dataDir, 'mysqld.sock');
}

/** One SQL statement as the server's superuser (over TCP for PostgreSQL, the socket for MariaDB). */
function adminSql(info: DatabaseServerInfo, sql: string): Promise<string> {
  if (info.client === 'pg') {
    return runOrExplain(`psql (${sql})`, 'psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(info.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-qAtc',
      sql,
    ]);
  }
  return runOrExplain(`mariadb (${sql})`, 'mariadb', [
    '--no-defaults',
    '--protocol=socket',
    `--socket=${mysqlSocket(info.dataDir)}`,
    '-uroot',
    '-N',
    '-B',
    '-e',
    sql,
  ]);
}

/** Database names come from this code (letters, digits, underscores); checked anyway, as they are spliced into SQL. */
function checkedName(name: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a database name of ours: "${name}"`);
  return name;
}

export function databaseAdmin(info: DatabaseServerInfo): DatabaseAdmin {
  const pg = info.client === 'pg';
  return {
    info,
    directusEnv(database) {
      const shared = { DB_HOST: '127.0.0.1', DB_PORT: String(info.port), DB_DATABASE: checkedName(database) };
      return pg
        ? { DB_CLIENT: 'pg', ...shared, DB_USER: 'postgres', DB_PASSWORD: 'unused-trust-auth' }
        : { DB_CLIENT: 'mysql', ...shared, DB_USER: MYSQL_USER.name, DB_PASSWORD: MYSQL_USER.password };
    },
    async exists(database) {
      const sql = pg
        ? `SELECT 1 FROM pg_database WHERE datname = '${checkedName(database)}'`
        : `SELECT 1 FROM information_schema.schemata WHERE schema_name = '${checkedName(database)}'`;
      return (await adminSql(info, sql)).trim() === '1';
    },
    async create(database) {
      await this.drop(database);
      await adminSql(
        info,
        pg
          ? `CREATE DATABASE "${checkedName(database)}"`
          : `CREATE DATABASE \`${checkedName(database)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
    },
    async drop(database) {
      // WITH (FORCE): a Directus killed mid-run may have left connections behind.
      await adminSql(
        info,
        pg ? `DROP DATABASE IF EXISTS "${checkedName(database)}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${checkedName(database)}\``,
      );
    },
    async clone(template, database) {
      if (pg) {
        await this.drop(database);
        await adminSql(info, `CREATE DATABASE "${checkedName(database)}" TEMPLATE "${checkedName(template)}"`);
        return;
      }
      // MariaDB has no template databases: a dump of it, restored (foreign keys and all).
      await this.create(database);
      const client = ['--no-defaults', '--protocol=socket', `--socket=${mysqlSocket(info.dataDir)}`, '-uroot'];
      await runOrExplain(`copying the database ${template}`, 'bash', [
        '-c',
        'set -o pipefail; mariadb-dump "${@:3}" --single-transaction "$1" | mariadb "${@:3}" "$2"',
        'clone',
        checkedName(template),
        checkedName(database),
        ...client,
      ]);
    },
    async isTemplate(template) {
      return existsSync(templateMarker(info, template)) && (await this.exists(template));
    },
    async markTemplate(template) {
      await writeFile(templateMarker(info, template), `${new Date().toISOString()}\n`);
    },
  };
}

/** Kept in the server's data dir, so that it goes when the data does. */
function templateMarker(info: DatabaseServerInfo, template: string): string {
  return join(info.dataDir, `${checkedName(template)}.complete`);
}

/** The server's data dir, initialised once (into a temporary dir, renamed when complete). */
async function ensureInitialised(client: ServerClient, dataDir: string): Promise<void> {
  if (existsSync(dataDir)) return;
  const tmp = `${dataDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  if (client === 'pg') {
    if (isRoot) {
      const id = async (flag: string) =>
        Number(await runOrExplain(`id ${flag} postgres (needs ${INSTALL_HINT.pg})`, 'id', [flag, 'postgres']));
      await chown(tmp, await id('-u'), await id('-g'));
    }
    const [command, args] = asPostgresUser(postgresBin('initdb'), [
      '-D',
      tmp,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-sync',
    ]);
    await runOrExplain(`initdb (needs ${INSTALL_HINT.pg})`, command, args);
  } else {
    const user = isRoot ? ['--user=mysql'] : [];
    await runOrExplain(`mariadb-install-db (needs ${INSTALL_HINT.mysql})`, 'mariadb-install-db', [
      '--no-defaults',
      `--datadir=${tmp}`,
      ...user,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
    ]);
  }
  await rename(tmp, dataDir);
}

function startServerProcess(client: ServerClient, port: number, dataDir: string, onLine: (line: string) => void): Service {
  if (client === 'pg') {
    // No fsync: a test database need not survive a crash of the machine.
    const [command, args] = asPostgresUser(postgresBin('postgres'), [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ]);
    return startService('postgres', command, args, { quiet: true, graceMs: 10_000, onLine });
  }
  return startService(
    'mariadb',
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${mysqlSocket(dataDir)}`,
      `--pid-file=${join(dataDir, 'mysqld.pid')}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      // As fsync=off for PostgreSQL: a test database need not survive a crash of the machine.
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      '--innodb-buffer-pool-size=64M',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      ...(isRoot ? ['--user=mysql'] : []),
    ],
    { quiet: true, graceMs: 10_000, onLine },
  );
}

/** Starts PostgreSQL or MariaDB on 127.0.0.1:`port` and waits until it answers SQL. */
export async function startDatabaseServer(client: ServerClient, port: number): Promise<DatabaseServer> {
  const dataDir = join(root, '.local', 'databases', `${client}-${port}`);
  await mkdir(join(root, '.local', 'databases'), { recursive: true });
  await ensureInitialised(client, dataDir);
  const output = outputTail(20);
  const server = startServerProcess(client, port, dataDir, (line) => output.add(line));
  const admin = databaseAdmin({ client, port, dataDir });
  try {
    await waitFor(
      `${client === 'pg' ? 'PostgreSQL' : 'MariaDB'} answered on 127.0.0.1:${port}`,
      () =>
        adminSql(admin.info, 'SELECT 1').then(
          () => true,
          () => undefined,
        ),
      { timeoutMs: 60_000, intervalMs: 200, service: server, lastOutput: output.text },
    );
    if (client === 'mysql') {
      const user = `'${MYSQL_USER.name}'@'127.0.0.1'`;
      await adminSql(
        admin.info,
        `CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY '${MYSQL_USER.password}'; GRANT ALL PRIVILEGES ON *.* TO ${user}`,
      );
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...admin, stop: () => server.stop() };
}

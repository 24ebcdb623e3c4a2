// `npm run directus -- [--port 8055] [--data .local/directus/dev] [--fresh] [--static] [--database sqlite3|pg|mysql]`:
// runs the local Directus, on SQLite or on a PostgreSQL or MariaDB server of its own.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_STACK } from '../../lib/local-stack';
import { databaseClient, DEV_DATABASE_PORTS, startDatabaseServer, type DatabaseClient } from '../stack/database-server';
import { startLocalDirectus } from './index';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function usage(): string {
  return [
    'Usage: npm run directus -- [--port 8055] [--data .local/directus/dev] [--fresh] [--static] [--database sqlite3|pg|mysql]',
    "  --static    also prepare the static credential strategy: its token_expires_at field and the app's service account",
    '  --database  keep the data on SQLite (default) or on a PostgreSQL or MariaDB server of its own',
  ].join('\n');
}

let values;
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string', default: '8055' },
      data: { type: 'string' },
      database: { type: 'string', default: 'sqlite3' },
      fresh: { type: 'boolean', default: false },
      static: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n${usage()}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage());
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`Invalid --port "${values.port}".\n${usage()}`);
  process.exit(2);
}

let client: DatabaseClient;
try {
  client = databaseClient(values.database, '--database');
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n${usage()}`);
  process.exit(2);
}

const started = Date.now();
try {
  // PostgreSQL and MariaDB: a server of our own, whose database `directus_<port>` stays between runs.
  const server = client === 'sqlite3' ? undefined : await startDatabaseServer(client, DEV_DATABASE_PORTS[client]);
  const dataDir = resolve(repoRoot, values.data ?? (client === 'sqlite3' ? '.local/directus/dev' : `.local/directus/dev-${client}`));
  const strategies = values.static ? (['session', 'static'] as const) : (['session'] as const);
  const directus = await startLocalDirectus({ port, dataDir, fresh: values.fresh, strategies, database: server }).catch(
    async (error: unknown) => {
      await server?.stop();
      throw error;
    },
  );
  const t = directus.timings;
  const s = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`);
  console.log('');
  console.log(`Directus ${directus.reused ? '(already running, reused)' : ''} ready at ${directus.url}  (${s(Date.now() - started)})`);
  console.log(`  timings: install ${s(t.installMs)}, bootstrap ${s(t.bootstrapMs)}, start ${s(t.startMs)}, setup+seed ${s(t.setupMs)}`);
  console.log(`  Studio login: ${LOCAL_STACK.directus.adminEmail} / LOCAL_STACK.directus.adminPassword (local default)`);
  console.log('  admin token: LOCAL_STACK.directus.adminToken (local default, DIRECTUS_ADMIN_TOKEN)');
  if (directus.serviceToken) console.log('  service token: LOCAL_STACK.directus.serviceToken (local default, DIRECTUS_TOKEN)');
  console.log(
    `  demo member: ${LOCAL_STACK.demoMember.first_name} ${LOCAL_STACK.demoMember.last_name}, phone ${LOCAL_STACK.demoMember.phone}`,
  );
  if (server)
    console.log(
      `  database: ${client === 'pg' ? 'PostgreSQL' : 'MariaDB'} on 127.0.0.1:${server.info.port}, data in ${server.info.dataDir}`,
    );
  if (directus.reused) {
    console.log('It was started by another process, which owns it: nothing to stop here.');
    await server?.stop();
    process.exit(0);
  }
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Directus...`);
    void directus
      .stop()
      .then(() => server?.stop())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  setInterval(() => undefined, 1 << 30); // keep alive until a signal
} catch (err) {
  console.error(`[directus] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

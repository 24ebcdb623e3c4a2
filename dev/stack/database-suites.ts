// `npm run test:databases`: the database suites on PostgreSQL and on MariaDB at the same time (each
// run mostly waits on its Directus and database server, so two share the cores well). The MariaDB
// run takes the test ports TEST_PORT_OFFSET_STEP further on; each run's output is printed whole
// when it ends, so the two never interleave.
import { spawn } from 'node:child_process';

const TEST_PORT_OFFSET_STEP = 200;
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const runs = [
  { database: 'pg', offset },
  { database: 'mysql', offset: offset + TEST_PORT_OFFSET_STEP },
];

const exitCodes = await Promise.all(
  runs.map(
    ({ database, offset: portOffset }) =>
      new Promise<number>((resolve) => {
        const started = Date.now();
        const child = spawn('npm', ['run', '--silent', 'test:database-suites'], {
          env: { ...process.env, TEST_DATABASE: database, TEST_PORT_OFFSET: String(portOffset) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const output: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
        child.on('close', (code) => {
          process.stdout.write(`\n== TEST_DATABASE=${database} (${((Date.now() - started) / 1000).toFixed(0)} s, exit ${code})\n`);
          process.stdout.write(Buffer.concat(output));
          resolve(code ?? 1);
        });
      }),
  ),
);
process.exit(exitCodes.every((code) => code === 0) ? 0 : 1);

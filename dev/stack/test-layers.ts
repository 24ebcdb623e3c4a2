// `npm test`: every layer. The local Directus's install (where not cached yet) beside the unit tests,
// then the build; then three lanes side by side, each on stacks of its own (TEST_PORT_OFFSET moved
// by STACK_OFFSET_STEP): the integration layer in two parts, the extension and database suites
// after them, and the browser tests. Each line of output is prefixed with its layer; each layer's
// time is printed when it ends and in a table at the end; the run fails if any layer fails.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { ensureExtensionBuilt } from '../directus/sign-in-extension';
import { STACK_OFFSET_STEP, TEST_PORT_BASE_OFFSET } from './test-ports';

/** `offset`: how many STACK_OFFSET_STEPs its stack's test ports move. */
type Layer = { name: string; command: string[]; offset?: number; env?: Record<string, string> };
/** Layers one after the other. */
type Lane = Layer[];

const integration = ['npx', 'vitest', 'run', '--project', 'integration'];

/**
 * The local Directus into its cache outside the checkout, on a machine that has none yet (minutes:
 * downloads, then native compiles), beside the unit tests and the build, which do not need it;
 * where it is cached, a check of under a second.
 */
const directusInstall: Layer = { name: 'directus install', command: ['npm', 'run', '--silent', 'directus:install'] };
const unit: Layer = { name: 'unit', command: ['npm', 'run', '--silent', 'test:unit'] };
const build: Layer = { name: 'build', command: ['npm', 'run', '--silent', 'build'] };
/**
 * What needs the build, in three lanes side by side, each on stacks of its own: the CPU-heavy
 * integration files, then the extension suite; the integration files that mostly wait on timers
 * (vitest.config.mts lists them), then the database suites; and the browser tests. The two
 * integration lanes left a core idle for most of their time, which the browser tests (bound by the
 * cores alone) now take, and all of both once those lanes end (docs/testing.md).
 */
const onStacks: Lane[] = [
  [
    { name: 'integration', command: integration, env: { TEST_INTEGRATION_PART: 'others' }, offset: 0 },
    { name: 'extension', command: ['npm', 'run', '--silent', 'test:extension'], offset: 0 },
  ],
  [
    { name: 'integration (waiting)', command: integration, env: { TEST_INTEGRATION_PART: 'waiting' }, offset: 1 },
    // The MariaDB run is moved 200 further by database-suites.ts (offset 3): clear of the other lanes.
    { name: 'databases', command: ['npm', 'run', '--silent', 'test:databases'], offset: 1 },
  ],
  // Two workers, at offsets 6 and 7: an instance of a worker at 5 (its app port plus 16) would be on
  // the MariaDB run's port.
  [{ name: 'e2e', command: ['npm', 'run', '--silent', 'test:e2e:built'], offset: 6 }],
];

type Result = { name: string; seconds: number; code: number };
const results: Result[] = [];
const running = new Set<ReturnType<typeof spawn>>();

function run(layer: Layer): Promise<Result> {
  const started = Date.now();
  const env = { ...process.env, ...layer.env };
  if (layer.offset !== undefined) env.TEST_PORT_OFFSET = String(TEST_PORT_BASE_OFFSET + layer.offset * STACK_OFFSET_STEP);
  const [program, ...args] = layer.command as [string, ...string[]];
  // A process group of its own, so that a stop reaches the test runner below npm (which does not
  // pass it on) and the runner's teardown stops its stack.
  const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  const prefix = `[${layer.name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      const result = { name: layer.name, seconds: (Date.now() - started) / 1000, code: code ?? (signal ? 128 : 1) };
      process.stdout.write(
        `\n== ${layer.name}: ${result.code === 0 ? 'passed' : `FAILED (exit ${result.code})`} in ${result.seconds.toFixed(0)} s\n\n`,
      );
      results.push(result);
      resolve(result);
    });
  });
}

/** Set once the run is interrupted: no further layer starts. */
let stopping = false;

async function runLane(lane: Lane): Promise<void> {
  for (const layer of lane) if (!stopping) await run(layer);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    for (const child of running) {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // That group has ended meanwhile.
      }
    }
  });
}

const started = Date.now();
const lanes = onStacks.map((lane) => lane.map((layer) => layer.name).join(' then ')).join(', ');
process.stdout.write(`\n== the Directus install beside unit and the build, then side by side: ${lanes}\n\n`);
const installing = run(directusInstall);
// The unit tests, then the build: some unit tests time the emulator's scheduled callbacks, which a
// build beside them delayed.
await runLane([unit]);
const built = !stopping && (await run(build)).code === 0;
const installed = (await installing).code === 0;
if (built && installed && !stopping) {
  // Built once here, before two Directus starts at once would each see it stale and build it.
  await ensureExtensionBuilt((line) => process.stdout.write(`[extension build] ${line}\n`));
  await Promise.all(onStacks.map(runLane));
}

process.stdout.write('\nlayer                  seconds  result\n');
for (const { name, seconds, code } of results) {
  process.stdout.write(`${name.padEnd(22)} ${seconds.toFixed(0).padStart(7)}  ${code === 0 ? 'passed' : `FAILED (exit ${code})`}\n`);
}
process.stdout.write(`${'all'.padEnd(22)} ${((Date.now() - started) / 1000).toFixed(0).padStart(7)}\n`);
const notRun = [directusInstall, unit, build, ...onStacks.flat()].filter((layer) => !results.some((result) => result.name === layer.name));
if (notRun.length) {
  process.stdout.write(
    `not run (${stopping ? 'interrupted' : 'the build or the Directus install failed'}): ${notRun.map((layer) => layer.name).join(', ')}\n`,
  );
}
process.exit(!notRun.length && results.every((result) => result.code === 0) ? 0 : 1);

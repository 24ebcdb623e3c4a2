// Start and verify, the tutorial's flows against the app, on one Directus and one Plivo stub:
// at c=1 one sign-in of each per iteration (order alternating), at c=10 blocks of each in turn,
// so drift in the machine's load (others share it) hits both alike.
import { emulatorControl } from '../../tests/support/emulator';
import type { AppInstance } from '../stack/test-stack';
import type { AppConfig, BenchStack } from './bench-stack';
import { compare, comparisonTable, emptySamples, STEPS, type Comparison, type Step, type StepSamples } from './comparison';
import { cpuMs } from './cpu';
import { memberPhone } from './members';
import { appSystem, flowsSystem, upstreamReplay, type Pending } from './systems';

export type SideBySideOptions = { signIns: number; blockRequests: number; rounds: number; concurrency: number };
const WARM_UP = 5;

export async function measureSideBySide(
  stack: BenchStack,
  app: AppInstance,
  { strategy, limits, deliveryReports }: AppConfig,
  options: SideBySideOptions,
) {
  const emulator = emulatorControl(stack.emulatorUrl);
  const systems = { flows: flowsSystem(stack.flows), app: appSystem(app.url) };
  // Only the session strategy's upstream calls are the extension's two routes, replayable as such.
  const upstream = strategy === 'session' ? upstreamReplay(stack) : undefined;
  const samples = { flows: { start: emptySamples(), verify: emptySamples() }, app: { start: emptySamples(), verify: emptySamples() } };
  const replayed: Record<Step, number[]> = { start: [], verify: [] };
  // Each system signs in its own members (flows the even ones, the app the odd ones), so no
  // number has two live codes; the emulator forgets its sessions between rounds.
  let nextMember = 0;
  const phoneFor = (system: 'flows' | 'app' | 'replay') =>
    memberPhone((nextMember++ * 3 + ['flows', 'app', 'replay'].indexOf(system)) % (stack.members - (stack.members % 3)));
  const codeOf = (pending: Pending) => emulator.latestCode(pending.phone);

  const failures: string[] = [];
  /** A failed answer is counted (and the first ones kept to print), not fatal: the table says how many. */
  const failed = (into: StepSamples) => (error: unknown) => {
    into.failed++;
    if (failures.length < 3) failures.push(error instanceof Error ? error.message : String(error));
    return undefined;
  };

  await emulator.reset();
  for (let i = 0; i < options.signIns + WARM_UP; i++) {
    const order = i % 2 ? (['flows', 'app'] as const) : (['app', 'flows'] as const);
    for (const name of order) {
      const system = systems[name];
      const started = await timed(() => system.start(phoneFor(name))).catch(failed(samples[name].start));
      if (!started) continue;
      const code = await codeOf(started.value);
      const verified = await timed(() => system.verify(started.value, code)).catch(failed(samples[name].verify));
      if (i < WARM_UP || !verified) continue;
      samples[name].start.c1.push(started.ms);
      samples[name].verify.c1.push(verified.ms);
    }
    if (upstream) {
      const started = await timed(() => upstream.start(phoneFor('replay')));
      const code = await codeOf(started.value);
      const verified = await timed(() => upstream.verify(started.value, code));
      if (i < WARM_UP) continue;
      replayed.start.push(started.ms);
      replayed.verify.push(verified.ms);
    }
  }

  for (let round = 0; round < options.rounds; round++) {
    await emulator.reset();
    const order = round % 2 ? (['flows', 'app'] as const) : (['app', 'flows'] as const);
    const pendings: Record<string, Pending[]> = {};
    for (const name of order) {
      const phones = Array.from({ length: options.blockRequests }, () => phoneFor(name));
      const started = await block(
        stack,
        app,
        name,
        samples[name].start,
        options.concurrency,
        phones,
        (phone) => systems[name].start(phone),
        failed(samples[name].start),
      );
      pendings[name] = started.filter((pending) => pending !== undefined);
    }
    for (const name of [...order].reverse()) {
      const ready = await Promise.all(pendings[name]!.map(async (pending) => ({ pending, code: await codeOf(pending) })));
      await block(
        stack,
        app,
        name,
        samples[name].verify,
        options.concurrency,
        ready,
        ({ pending, code }) => systems[name].verify(pending, code),
        failed(samples[name].verify),
      );
    }
  }

  const rows: Comparison[] = STEPS.map((step) =>
    compare(step, samples.flows[step], samples.app[step], upstream ? replayed[step] : undefined),
  );
  return {
    rows,
    lines: [
      `Side by side, ${strategy} strategy, ${limits} limits, ${deliveryReports ? 'with Plivo delivery callbacks' : 'no delivery callbacks'} (${options.signIns} sign-ins each at c=1 after ${WARM_UP} warm-up; ${options.rounds} × ${options.blockRequests} requests each at c=${options.concurrency}; interleaved; every answer checked; ${stack.members.toLocaleString('en')} members):`,
      ...comparisonTable(rows),
      ...failures.map((failure) => `  failed: ${failure}`),
    ],
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** `items` through `work` at `concurrency`, with the block's wall time and both processes' CPU time. */
async function block<I, T>(
  stack: BenchStack,
  app: AppInstance,
  name: 'flows' | 'app',
  into: StepSamples,
  concurrency: number,
  items: I[],
  work: (item: I) => Promise<T>,
  onFailure: (error: unknown) => undefined,
): Promise<Array<T | undefined>> {
  const results: Array<T | undefined> = [];
  const cpuBefore = { directus: cpuMs(stack.directusPid), app: cpuMs(app.pid) };
  const started = performance.now();
  let next = 0;
  let succeeded = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        const one = await timed(() => work(items[index]!)).catch(onFailure);
        results[index] = one?.value;
        if (!one) continue;
        succeeded++;
        into.c10.push(one.ms);
      }
    }),
  );
  into.c10WallMs += performance.now() - started;
  // Failed answers count for nothing: req/s and CPU per request are per successful answer.
  into.c10Requests += succeeded;
  into.directusCpuMs += cpuMs(stack.directusPid) - cpuBefore.directus;
  if (name === 'app') into.appCpuMs += cpuMs(app.pid) - cpuBefore.app;
  return results;
}

// Start and verify, the tutorial's flows against the app, on one Directus and one Plivo stub, and
// (session strategy) the app's passkey sign-in beside them: at c=1 one sign-in of each per
// iteration (order rotating), at c=10 blocks of each in turn, so drift in the machine's load
// (others share it) hits all alike.
import { emulatorControl } from '../../tests/support/emulator';
import type { AppConfig, BenchApp, BenchStack } from './bench-stack';
import {
  compare,
  comparePasskey,
  comparisonTable,
  emptySamples,
  passkeyTable,
  STEPS,
  type Comparison,
  type Step,
  type StepSamples,
} from './comparison';
import { cpuMs } from './cpu';
import { rotated } from './interleave';
import { memberPhone } from './members';
import { appSystem, flowsSystem, passkeySystem, upstreamReplay, type Delivery, type Pending, type SignInSystem } from './systems';

export type SideBySideOptions = { signIns: number; blockRequests: number; rounds: number; concurrency: number };
const WARM_UP = 5;
/** The systems measured: the flows, the app by SMS, the app by passkey (`start`: its options; `verify`: the sign-in). */
type Name = 'flows' | 'app' | 'passkey';

export async function measureSideBySide(
  stack: BenchStack,
  app: BenchApp,
  { strategy, limits, deliveryReports }: AppConfig,
  options: SideBySideOptions,
) {
  const emulator = emulatorControl(stack.emulatorUrl);
  const delivered: Delivery = (phone) => emulator.latestCode(phone);
  // Passkeys are the session strategy's (with static the app has none).
  const passkeys = strategy === 'session' ? await stack.passkeys(app) : undefined;
  const systems: Partial<Record<Name, SignInSystem>> = {
    flows: flowsSystem(stack.flows, delivered),
    app: appSystem(app, delivered),
    ...(passkeys ? { passkey: passkeySystem(app, passkeys) } : {}),
  };
  const names = Object.keys(systems) as Name[];
  // Only the session strategy's upstream calls are the extension's two routes, replayable as such.
  const upstream = strategy === 'session' ? upstreamReplay(stack, delivered) : undefined;
  const samples = Object.fromEntries(
    (['flows', 'app', 'passkey'] as const).map((name) => [name, { start: emptySamples(), verify: emptySamples() }]),
  ) as Record<Name, Record<Step, StepSamples>>;
  const replayed: Record<Step, number[]> = { start: [], verify: [] };
  // Each SMS system signs in its own members (flows the even ones, the app the odd ones), so no
  // number has two live codes; the emulator forgets its sessions between rounds. The passkey
  // members sign in in turn.
  let nextMember = 0;
  let nextPasskey = 0;
  const passkeyPhones = [...(passkeys?.keys() ?? [])];
  const phoneFor = (system: Name | 'replay') =>
    system === 'passkey'
      ? passkeyPhones[nextPasskey++ % passkeyPhones.length]!
      : memberPhone((nextMember++ * 3 + ['flows', 'app', 'replay'].indexOf(system)) % (stack.members - (stack.members % 3)));

  const failures: string[] = [];
  /** A failed answer is counted (and the first ones kept to print), not fatal: the table says how many. */
  const failed = (into: StepSamples) => (error: unknown) => {
    into.failed++;
    if (failures.length < 3) failures.push(error instanceof Error ? error.message : String(error));
    return undefined;
  };

  await emulator.reset();
  for (let i = 0; i < options.signIns + WARM_UP; i++) {
    for (const name of rotated(names, i)) {
      const system = systems[name]!;
      const started = await timed(() => system.start(phoneFor(name))).catch(failed(samples[name].start));
      if (!started) continue;
      const answer = await system.answer(started.value);
      const verified = await timed(() => system.verify(started.value, answer)).catch(failed(samples[name].verify));
      if (i < WARM_UP || !verified) continue;
      samples[name].start.c1.push(started.ms);
      samples[name].verify.c1.push(verified.ms);
    }
    if (upstream) {
      const started = await timed(() => upstream.start(phoneFor('replay')));
      const code = await upstream.answer(started.value);
      const verified = await timed(() => upstream.verify(started.value, code));
      if (i < WARM_UP) continue;
      replayed.start.push(started.ms);
      replayed.verify.push(verified.ms);
    }
  }

  for (let round = 0; round < options.rounds; round++) {
    await emulator.reset();
    const order = rotated(names, round);
    const pendings: Partial<Record<Name, Pending[]>> = {};
    for (const name of order) {
      const phones = Array.from({ length: options.blockRequests }, () => phoneFor(name));
      const started = await block(
        stack,
        app,
        name,
        samples[name].start,
        options.concurrency,
        phones,
        (phone) => systems[name]!.start(phone),
        failed(samples[name].start),
      );
      pendings[name] = started.filter((pending) => pending !== undefined);
    }
    for (const name of [...order].reverse()) {
      const system = systems[name]!;
      const ready = await Promise.all(pendings[name]!.map(async (pending) => ({ pending, answer: await system.answer(pending) })));
      await block(
        stack,
        app,
        name,
        samples[name].verify,
        options.concurrency,
        ready,
        ({ pending, answer }) => system.verify(pending, answer),
        failed(samples[name].verify),
      );
    }
  }

  const rows: Comparison[] = STEPS.map((step) =>
    compare(step, samples.flows[step], samples.app[step], upstream ? replayed[step] : undefined),
  );
  const passkey = passkeys ? comparePasskey(samples.passkey, samples.flows.verify, samples.app) : undefined;
  return {
    rows,
    passkey,
    lines: [
      `Side by side, ${strategy} strategy, ${limits} limits, ${deliveryReports ? 'with Plivo delivery callbacks' : 'no delivery callbacks'} (${options.signIns} sign-ins each at c=1 after ${WARM_UP} warm-up; ${options.rounds} × ${options.blockRequests} requests each at c=${options.concurrency}; interleaved; every answer checked; ${stack.members.toLocaleString('en')} members${passkeys ? `, ${passkeys.size} of them signing in by passkey in turn` : ''}):`,
      ...comparisonTable(rows),
      ...(passkey ? ['', ...passkeyTable(passkey)] : []),
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
  app: BenchApp,
  name: Name,
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
  if (name !== 'flows') into.appCpuMs += cpuMs(app.pid) - cpuBefore.app;
  return results;
}

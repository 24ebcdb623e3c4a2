// Does a start cost more with a million members than with a thousand? The app's start, c=1,
// to members spread over all the seeded ones, before and after seeding the rest.
import { emulatorControl } from '../../tests/support/emulator';
import type { BenchApp, BenchStack } from './bench-stack';
import { memberPhone } from './members';
import { ms, summary } from './stats';
import { appSystem } from './systems';

export async function measureScale(stack: BenchStack, app: BenchApp, { starts, members }: { starts: number; members: number }) {
  const before = await startsOverMembers(stack, app, starts);
  const seeding = performance.now();
  await stack.seedMembers(members);
  const seededInS = (performance.now() - seeding) / 1000;
  const after = await startsOverMembers(stack, app, starts);
  const [small, large] = [summary(before.samples), summary(after.samples)];
  return [
    `Scale: POST /api/auth/start, session strategy, Redis limits, c=1, ${starts} starts to distinct members spread over all of them (seeding took ${seededInS.toFixed(0)} s, straight into SQLite, phone index kept):`,
    `  ${before.members.toLocaleString('en')} members   p50 ${ms(small.p50)}  p90 ${ms(small.p90)}`,
    `  ${after.members.toLocaleString('en')} members   p50 ${ms(large.p50)}  p90 ${ms(large.p90)}   ratio p50 ${(large.p50 / small.p50).toFixed(2)}`,
  ].join('\n');
}

async function startsOverMembers(stack: BenchStack, app: BenchApp, starts: number) {
  const emulator = emulatorControl(stack.emulatorUrl);
  const system = appSystem(app, (phone) => emulator.latestCode(phone));
  // Once more if the first finds the emulator's idle keep-alive socket closed meanwhile.
  await emulator.reset().catch(() => emulator.reset());
  const step = Math.max(1, Math.floor(stack.members / (starts + 10)));
  const samples: number[] = [];
  for (let i = 0; i < starts + 10; i++) {
    const started = performance.now();
    await system.start(memberPhone((i * step + 1) % stack.members));
    if (i >= 10) samples.push(performance.now() - started);
  }
  return { members: stack.members, samples };
}

// `npm run bench`: measures the production build and prints a report: the side-by-side comparison
// with the tutorial's flows on a bench stack of its own, the 1M-member start, then the test stack's
// page weight and main-thread work on a slow phone, sign-in and pass-through latency and members-vs-strangers parts (responses, and
// the delivery status of a voice resend), and the memory store's heap after a flood of decoy starts.
// Sample sizes and what runs: the BENCH_* settings in the README's "Benchmarks".
import { startTestStack } from '../stack/test-stack';
import { startBenchStack, type AppConfig, type Limits, type Strategy } from './bench-stack';
import { measureBrowserSignIn } from './browser-sign-in';
import { measureBundle } from './bundle';
import { measureSignInLatency } from './latency';
import { measureMainThread } from './main-thread';
import { measureMemoryStore } from './memory';
import { measurePassThroughLatency } from './pass-through';
import { measureScale } from './scale';
import { measureSideBySide } from './side-by-side';
import { measureEnumerationTiming } from './timing';
import { measureVoiceStatus } from './voice-status';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0 (got ${process.env[name]})`);
  return value;
};
const pairs = number('BENCH_PAIRS', 300);
const voicePairs = number('BENCH_VOICE_PAIRS', 20);
const runs = number('BENCH_RUNS', 100);
const pageLoads = number('BENCH_PAGE_LOADS', 5);
const sideBySide = {
  signIns: number('BENCH_SIGN_INS', 100),
  blockRequests: number('BENCH_BLOCK', 150),
  rounds: number('BENCH_ROUNDS', 3),
  concurrency: number('BENCH_CONCURRENCY', 10),
};
const members = number('BENCH_MEMBERS', 1_000);
const scaleMembers = number('BENCH_SCALE_MEMBERS', 1_000_000);
// `-reports`: with Plivo's delivery callbacks (the app's default, a feature the flows lack);
// without it the app runs with PLIVO_DELIVERY_REPORTS=off, like for like.
const configs = (process.env.BENCH_CONFIGS ?? 'session-redis,static-redis,session-memory,static-memory,session-redis-reports')
  .split(',')
  .filter(Boolean)
  .map((config): AppConfig => {
    const [strategy, limits, reports, ...rest] = config.split('-') as [Strategy, Limits, string?, ...string[]];
    const known =
      ['session', 'static'].includes(strategy) &&
      ['redis', 'memory'].includes(limits) &&
      [undefined, 'reports'].includes(reports) &&
      !rest.length;
    if (!known) throw new Error(`BENCH_CONFIGS: unknown configuration ${config}`);
    return { strategy, limits, deliveryReports: reports === 'reports' };
  });

if (configs.length || scaleMembers) {
  const bench = await startBenchStack(members);
  try {
    for (const config of configs) {
      const app = await bench.startApp(config);
      try {
        console.log(`\n${(await measureSideBySide(bench, app, config, sideBySide)).lines.join('\n')}`);
        // Passkeys are the session strategy's.
        if (pageLoads && config.strategy === 'session') console.log(`\n${await measureBrowserSignIn(bench, app, pageLoads)}`);
      } finally {
        await app.stop();
      }
    }
    if (scaleMembers > members) {
      const app = await bench.startApp({ strategy: 'session', limits: 'redis', deliveryReports: false });
      try {
        console.log(`\n${await measureScale(bench, app, { starts: sideBySide.signIns, members: scaleMembers })}`);
      } finally {
        await app.stop();
      }
    }
  } finally {
    await bench.stop();
  }
}

if (process.env.BENCH_TEST_STACK !== '0') {
  const stack = await startTestStack();
  try {
    console.log(`\n${await measureBundle(stack)}\n`);
    if (pageLoads) console.log(`${await measureMainThread(stack, pageLoads)}\n`);
    if (runs) {
      console.log(`${await measureSignInLatency(stack, runs, { appUrl: stack.appUrl, strategy: 'session' })}\n`);
      console.log(`${await measureSignInLatency(stack, runs, { appUrl: stack.staticAppUrl, strategy: 'static' })}\n`);
      console.log(`${await measurePassThroughLatency(stack, runs, { appUrl: stack.appUrl, strategy: 'session' })}\n`);
      console.log(`${await measurePassThroughLatency(stack, runs, { appUrl: stack.staticAppUrl, strategy: 'static' })}\n`);
    }
    if (pairs) console.log(`${await measureEnumerationTiming(stack, pairs)}\n`);
    if (voicePairs) console.log(`${await measureVoiceStatus(stack, voicePairs)}\n`);
  } finally {
    await stack.stop();
  }
}

if (process.env.BENCH_MEMORY !== '0') console.log(await measureMemoryStore());

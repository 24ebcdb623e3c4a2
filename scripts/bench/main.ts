// `npm run bench`: measures the production build against the local stack and prints a report.
// BENCH_PAIRS and BENCH_RUNS set the sample sizes.
import { startTestStack } from '../../dev/stack/test-stack';
import { measureBundle } from './bundle';
import { measureSignInLatency } from './latency';
import { measurePassThroughLatency } from './pass-through';
import { measureEnumerationTiming } from './timing';

const pairs = Number(process.env.BENCH_PAIRS ?? 300);
const runs = Number(process.env.BENCH_RUNS ?? 100);

const stack = await startTestStack();
try {
  console.log(`\n${await measureBundle(stack)}\n`);
  console.log(`${await measureSignInLatency(stack, runs, { appUrl: stack.appUrl, strategy: 'session' })}\n`);
  console.log(`${await measureSignInLatency(stack, runs, { appUrl: stack.staticAppUrl, strategy: 'static' })}\n`);
  console.log(`${await measurePassThroughLatency(stack, runs, { appUrl: stack.appUrl, strategy: 'session' })}\n`);
  console.log(`${await measurePassThroughLatency(stack, runs, { appUrl: stack.staticAppUrl, strategy: 'static' })}\n`);
  console.log(`${await measureEnumerationTiming(stack, pairs)}\n`);
} finally {
  await stack.stop();
}

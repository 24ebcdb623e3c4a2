import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { MEMORY_STORE_MAX_KEYS } from '../limit-store';
import { fakeDeps } from './fakes.test-support';
import { startSignIn } from './start';

afterEach(() => {
  vi.useRealTimers();
});

/** A full collection on demand, without starting the test runner with --expose-gc. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const heapAfterCollection = (gc: () => void) => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const DECOY_STARTS = 200_000;
/** Well above what the store takes at its bound, far below what these starts' keys take without one (docs/benchmarks.md, "Memory"). */
const HEAP_GROWTH_LIMIT_MB = 96;

// Numbers nobody owns leave counters (one of them for a day), a code window and a delivery
// record each. Without a bound the memory store would keep every one of them for as long as it
// lives, so a flood of starts from many addresses would grow the process until it fell over.
describe('a flood of decoy starts with the memory store', () => {
  it(`keeps ${DECOY_STARTS.toLocaleString('en')} starts to numbers nobody owns under ${HEAP_GROWTH_LIMIT_MB} MB of heap, forgetting the oldest first`, async () => {
    const gc = collectGarbage();
    // Each start from an address of its own: a flood from many addresses is what this is about.
    const fake = fakeDeps({ members: [] });
    const phoneOf = (i: number) => `+447400${String(i).padStart(6, '0')}`;
    const before = heapAfterCollection(gc);
    for (let i = 0; i < DECOY_STARTS; i++) {
      await startSignIn(fake.deps, {}, { phone: phoneOf(i), ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
      // The fakes' own call records are not the store's memory.
      if (i % 1_000 === 0) fake.calls.length = fake.sleeps.length = 0;
    }
    fake.calls.length = fake.sleeps.length = 0;
    const growthMb = (heapAfterCollection(gc) - before) / 2 ** 20;
    console.info(
      `heap after ${DECOY_STARTS} decoy starts (memory store, ${MEMORY_STORE_MAX_KEYS} keys at most): +${growthMb.toFixed(1)} MB`,
    );
    expect(growthMb).toBeLessThan(HEAP_GROWTH_LIMIT_MB);

    // The oldest numbers' counters made way; the latest still count (nothing has expired: the clock stood still).
    const codesToday = (i: number) => fake.deps.limiter.remaining(['codesPerPhoneDay', phoneOf(i)]);
    expect(await codesToday(0)).toBe(10);
    expect(await codesToday(DECOY_STARTS - 1)).toBe(9);
    expect(await fake.deps.codes.current(phoneOf(DECOY_STARTS - 1))).toBeDefined();
  }, 600_000);
});

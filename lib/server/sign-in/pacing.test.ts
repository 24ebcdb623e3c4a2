import { describe, expect, it } from 'vitest';

import { createCalibratedSleep, createPacer } from './pacing';

describe('createPacer', () => {
  function pacer(random = () => 0.99) {
    let clock = 0;
    const sleeps: number[] = [];
    const instance = createPacer({
      coldStartMs: 250,
      random,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const took = (ms: number) => async () => {
      clock += ms;
    };
    return { instance, sleeps, took, tick: (ms: number) => (clock += ms) };
  }

  it('imitates the cold-start delay until it has seen a real call, then one of the recorded ones', async () => {
    const { instance, sleeps, took } = pacer();
    await instance.imitate('start', instance.mark());
    await instance.measure('start', '+1', took(30));
    await instance.measure('start', '+2', took(50));
    await instance.imitate('start', instance.mark());
    await instance.imitate('verify', instance.mark());
    expect(sleeps).toEqual([250, 50, 250]);
  });

  it('imitates each kind of call from its own samples', async () => {
    const { instance, sleeps, took } = pacer();
    await instance.measure('start', '+1', took(30));
    await instance.measure('resend', '+1', took(12));
    await instance.measure('verify', '+1', took(8));
    for (const kind of ['start', 'resend', 'verify'] as const) await instance.imitate(kind, instance.mark());
    expect(sleeps).toEqual([30, 12, 8]);
  });

  it('counts the time already spent since the mark', async () => {
    const { instance, sleeps, took, tick } = pacer();
    await instance.measure('verify', '+1', took(40));
    const since = instance.mark();
    tick(15);
    await instance.imitate('verify', since);
    expect(sleeps).toEqual([25]);
  });

  it('keeps one sample per number, so a burst against one number moves one sample', async () => {
    const draws = [0, 0.34, 0.67];
    const { instance, sleeps, took } = pacer(() => draws.shift()!);
    await instance.measure('verify', '+1', took(10));
    for (let i = 0; i < 100; i++) await instance.measure('verify', '+2', took(300 + i));
    await instance.measure('verify', '+3', took(12));
    for (let i = 0; i < 3; i++) await instance.imitate('verify', instance.mark());
    expect(sleeps).toEqual([10, 399, 12]);
  });

  it('keeps the latest sample of each of the last 64 numbers', async () => {
    const { instance, sleeps, took } = pacer(() => 0);
    for (let ms = 1; ms <= 100; ms++) await instance.measure('verify', `+${ms}`, took(ms));
    await instance.imitate('verify', instance.mark());
    expect(sleeps).toEqual([37]);
  });

  it('keeps only the results it is told to', async () => {
    const { instance, sleeps, took } = pacer();
    await instance.measure(
      'verify',
      '+1',
      async () => (await took(99)(), 'verified'),
      (r) => r === 'wrong_code',
    );
    await instance.imitate('verify', instance.mark());
    expect(sleeps).toEqual([250]);
  });
});

describe('createCalibratedSleep', () => {
  it('learns how late timers fire and asks for that much less', async () => {
    let clock = 0;
    const asked: number[] = [];
    // A timer that always fires 3 ms late.
    const sleep = createCalibratedSleep({
      now: () => clock,
      wait: async (ms) => {
        asked.push(ms);
        clock += ms + 3;
      },
    });
    for (let i = 0; i < 40; i++) await sleep(20);
    expect(asked[0]).toBe(19);
    expect(asked.at(-1)).toBeCloseTo(17, 0);
  });

  it('does not wait for nothing or less', async () => {
    const asked: number[] = [];
    const sleep = createCalibratedSleep({
      wait: async (ms) => {
        asked.push(ms);
      },
    });
    await sleep(0);
    await sleep(-5);
    expect(asked).toEqual([]);
  });
});

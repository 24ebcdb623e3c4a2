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
    await instance.imitate('send', instance.mark());
    await instance.measure('send', took(30));
    await instance.measure('send', took(50));
    await instance.imitate('send', instance.mark());
    await instance.imitate('check', instance.mark());
    expect(sleeps).toEqual([250, 50, 250]);
  });

  it('counts the time already spent since the mark', async () => {
    const { instance, sleeps, took, tick } = pacer();
    await instance.measure('check', took(40));
    const since = instance.mark();
    tick(15);
    await instance.imitate('check', since);
    expect(sleeps).toEqual([25]);
  });

  it('keeps only the most recent 64 samples', async () => {
    const { instance, sleeps, took } = pacer(() => 0);
    for (let ms = 1; ms <= 100; ms++) await instance.measure('check', took(ms));
    await instance.imitate('check', instance.mark());
    expect(sleeps).toEqual([37]);
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

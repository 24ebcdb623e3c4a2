import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createDeliveryReports } from './delivery-reports';
import { parseEnv } from './env';
import { memoryStore, type LimitStore } from './limit-store';
import type { DeliveryReports, DeliveryRoute, DeliveryState } from './sign-in/ports';

// The imitation a number nobody owns gets, over a fake clock and fake dice: it must come as
// members' real deliveries of the same channel (and country) come, whatever they do.

const env = parseEnv({ NODE_ENV: 'test' });
const LIFETIME_MS = env.OTP_EXPIRY_SECONDS * 1000;
const CALL_GB: DeliveryRoute = { channel: 'voice', country: 'GB' };
const TEXT_GB: DeliveryRoute = { channel: 'sms', country: 'GB' };

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 11, 7, 12) });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Dice that roll the given values in turn, then `otherwise`. */
function dice(otherwise = 0, ...rolls: number[]) {
  return () => rolls.shift() ?? otherwise;
}

/** Reproducible dice (mulberry32). */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let names = 0;
const fresh = () => `delivery-${++names}`;

/** A member's delivery whose reports come `atMs` after it was opened (ms since the previous one). */
async function real(reports: DeliveryReports, route: DeliveryRoute, steps: Array<[atMs: number, state: DeliveryState]>) {
  const delivery = fresh();
  await reports.expect(delivery, 'reported', route);
  let elapsed = 0;
  for (const [atMs, state] of steps) {
    vi.advanceTimersByTime(atMs - elapsed);
    elapsed = atMs;
    await reports.report(delivery, state);
  }
  return delivery;
}

/** The state a stranger's delivery shows at each of these ms after it was opened. */
async function imitated(reports: DeliveryReports, route: DeliveryRoute, atMs: number[]) {
  const delivery = fresh();
  await reports.expect(delivery, 'imitated', route);
  const seen: Array<DeliveryState | undefined> = [];
  let elapsed = 0;
  for (const at of atMs) {
    vi.advanceTimersByTime(at - elapsed);
    elapsed = at;
    seen.push(await reports.current(delivery));
  }
  return seen;
}

const TEXT: Array<[number, DeliveryState]> = [
  [250, { state: 'sent' }],
  [1_000, { state: 'delivered' }],
];
const CALL: Array<[number, DeliveryState]> = [
  [1_500, { state: 'sent' }],
  [6_000, { state: 'delivered' }],
];

async function times(n: number, work: () => Promise<unknown>) {
  for (let i = 0; i < n; i++) await work();
}

describe('an imitated delivery', () => {
  it("follows members' calls when it is a call, not their texts", async () => {
    const reports = createDeliveryReports(env, memoryStore(), { random: dice(0) });
    await times(5, () => real(reports, TEXT_GB, TEXT));
    await times(5, () => real(reports, CALL_GB, CALL));
    await times(5, () => real(reports, TEXT_GB, TEXT)); // the latest deliveries are texts again
    expect(await imitated(reports, CALL_GB, [1_400, 1_500, 5_900, 6_000])).toEqual([
      { state: 'sending' },
      { state: 'sent' },
      { state: 'sent' },
      { state: 'delivered' },
    ]);
    expect(await imitated(reports, TEXT_GB, [200, 250, 1_000])).toEqual([{ state: 'sending' }, { state: 'sent' }, { state: 'delivered' }]);
  });

  it("fails as members' deliveries fail, with their reason", async () => {
    const reports = createDeliveryReports(env, memoryStore(), { random: dice(0) });
    await times(5, () =>
      real(reports, TEXT_GB, [
        [250, { state: 'sent' }],
        [1_000, { state: 'failed', reason: 'fraud_shield' }],
      ]),
    );
    expect(await imitated(reports, TEXT_GB, [500, 1_000, LIFETIME_MS - 1])).toEqual([
      { state: 'sent' },
      { state: 'failed', reason: 'fraud_shield' },
      { state: 'failed', reason: 'fraud_shield' },
    ]);
  });

  it("stays sent as a member's text to a switched-off phone does, once that code's lifetime is over", async () => {
    let roll = 0;
    const reports = createDeliveryReports(env, memoryStore(), { random: () => roll });
    const stuck = await real(reports, TEXT_GB, [[250, { state: 'sent' }]]);
    await times(4, () => real(reports, TEXT_GB, TEXT));
    // Until then it may still be delivered, so it is not a sample yet (five are needed): the prior.
    expect(await imitated(reports, TEXT_GB, [LIFETIME_MS - 1])).toEqual([{ state: 'delivered' }]);
    expect(await reports.current(stuck)).toBeUndefined();
    await real(reports, TEXT_GB, TEXT); // any report learns what is due
    roll = 4.5 / 6; // the fifth of six samples: the four texts that ended, then the stuck one
    const seen = await imitated(reports, TEXT_GB, [200, 250, 1_000, LIFETIME_MS - 1]);
    expect(seen).toEqual([{ state: 'sending' }, { state: 'sent' }, { state: 'sent' }, { state: 'sent' }]);
  });

  it('learns every real delivery Plivo took in the same shares: ended, failed and never ended alike', async () => {
    const reports = createDeliveryReports(env, memoryStore(), { random: seeded(20) });
    const outcomes: Array<Array<[number, DeliveryState]>> = [
      TEXT,
      TEXT,
      [[250, { state: 'sent' }]],
      [[300, { state: 'failed', reason: 'undelivered' }]],
    ];
    for (let i = 0; i < 40; i++) await real(reports, TEXT_GB, outcomes[i % outcomes.length]!);
    vi.advanceTimersByTime(LIFETIME_MS);
    await real(reports, TEXT_GB, TEXT);
    const strangers = Array.from({ length: 400 }, fresh);
    for (const delivery of strangers) await reports.expect(delivery, 'imitated', TEXT_GB);
    vi.advanceTimersByTime(LIFETIME_MS - 1);
    const finals = await Promise.all(strangers.map(async (delivery) => JSON.stringify(await reports.current(delivery))));
    // 21 of 41 delivered, 10 never ended, 10 failed: each share within sampling error.
    const share = (state: DeliveryState) => finals.filter((final) => final === JSON.stringify(state)).length / 400;
    expect(Math.abs(share({ state: 'delivered' }) - 21 / 41)).toBeLessThan(0.06);
    expect(Math.abs(share({ state: 'sent' }) - 10 / 41)).toBeLessThan(0.06);
    expect(Math.abs(share({ state: 'failed', reason: 'undelivered' }) - 10 / 41)).toBeLessThan(0.06);
  });

  it("follows the number's country where there are enough of its deliveries, else the channel's", async () => {
    const reports = createDeliveryReports(env, memoryStore(), { random: dice(0) });
    await times(5, () =>
      real(reports, { channel: 'voice', country: 'US' }, [
        [2_000, { state: 'sent' }],
        [9_000, { state: 'delivered' }],
      ]),
    );
    expect(await imitated(reports, { channel: 'voice', country: 'IE' }, [1_999, 2_000, 9_000])).toEqual([
      { state: 'sending' },
      { state: 'sent' },
      { state: 'delivered' },
    ]);
    await times(5, () => real(reports, CALL_GB, CALL));
    expect(await imitated(reports, CALL_GB, [1_500, 6_000])).toEqual([{ state: 'sent' }, { state: 'delivered' }]);
  });

  it('never learns a send Plivo did not take (no report at all)', async () => {
    const reports = createDeliveryReports(env, memoryStore(), { random: dice(0) });
    await times(5, () => real(reports, TEXT_GB, []));
    vi.advanceTimersByTime(LIFETIME_MS);
    await times(5, () => real(reports, TEXT_GB, TEXT));
    expect(await imitated(reports, TEXT_GB, [LIFETIME_MS - 1])).toEqual([{ state: 'delivered' }]);
  });

  it('is drawn from what every instance learned when they share a store (Redis)', async () => {
    const shared: LimitStore = memoryStore();
    const receivesReports = createDeliveryReports(env, shared, { random: dice(0) });
    const servesStrangers = createDeliveryReports(env, shared, { random: dice(0) });
    await times(5, () => real(receivesReports, CALL_GB, CALL));
    expect(await imitated(servesStrangers, CALL_GB, [1_499, 1_500, 5_999, 6_000])).toEqual([
      { state: 'sending' },
      { state: 'sent' },
      { state: 'sent' },
      { state: 'delivered' },
    ]);
  });
});

describe('before enough real deliveries of a channel were learned', () => {
  it('draws a course per channel from a distribution: calls ring later and last longer than texts take', async () => {
    const median = createDeliveryReports(env, memoryStore(), { random: dice(0.5) });
    const text = await imitated(median, TEXT_GB, [1_000, 2_000, 9_000, 10_000]);
    const call = await imitated(median, CALL_GB, [2_000, 3_000, 10_000, 35_000]);
    expect(text).toEqual([{ state: 'sending' }, { state: 'sent' }, { state: 'sent' }, { state: 'delivered' }]);
    expect(call).toEqual([{ state: 'sending' }, { state: 'sent' }, { state: 'sent' }, { state: 'delivered' }]);
  });

  it('includes texts that never arrive or fail, and calls that never end, in their shares', async () => {
    const finalOf = async (route: DeliveryRoute, outcomeRoll: number) => {
      const reports = createDeliveryReports(env, memoryStore(), { random: dice(0.5, 0.5, outcomeRoll) });
      return (await imitated(reports, route, [LIFETIME_MS - 1]))[0];
    };
    expect(await finalOf(TEXT_GB, 0.5)).toEqual({ state: 'delivered' });
    expect(await finalOf(TEXT_GB, 0.93)).toEqual({ state: 'failed', reason: 'undelivered' });
    expect(await finalOf(TEXT_GB, 0.99)).toEqual({ state: 'sent' });
    expect(await finalOf(CALL_GB, 0.5)).toEqual({ state: 'delivered' });
    expect(await finalOf(CALL_GB, 0.9)).toEqual({ state: 'sent' });
  });
});

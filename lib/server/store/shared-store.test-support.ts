import { describe, expect, it } from 'vitest';

import { storeKey, type SharedStore } from './shared-store';

/** What every SharedStore must do, run against the memory store (unit) and a real Redis (integration). */
export function describeSharedStore(name: string, makeStore: () => SharedStore) {
  describe(`${name} shared store`, () => {
    let n = 0;
    const key = (label: string) => storeKey('test', label, String(Date.now()), String(++n));

    it('lets exactly `points` of many parallel counts through', async () => {
      const store = makeStore();
      const counter = { key: key('burst'), points: 5, ms: 60_000 };
      const results = await Promise.all(Array.from({ length: 20 }, () => store.countAll([counter])));
      expect(results.filter((wait) => wait === undefined)).toHaveLength(5);
      expect(results.filter((wait) => wait !== undefined && wait > 0 && wait <= 60_000)).toHaveLength(15);
      expect((await store.peek([counter.key]))[0]!.count).toBe(5);
    });

    it('counts all or none, also in parallel, so a full counter costs the others nothing', async () => {
      const store = makeStore();
      const wide = { key: key('wide'), points: 100, ms: 60_000 };
      const narrow = { key: key('narrow'), points: 3, ms: 60_000 };
      await Promise.all(Array.from({ length: 10 }, () => store.countAll([wide, narrow])));
      const [w, m] = await store.peek([wide.key, narrow.key]);
      expect([w!.count, m!.count]).toEqual([3, 3]);
    });

    it('checks a check-only counter with the others but never counts it', async () => {
      const store = makeStore();
      const counted = { key: key('counted'), points: 5, ms: 60_000 };
      const budget = { key: key('budget'), points: 1, ms: 60_000 };
      expect(await store.countAll([counted, { ...budget, checkOnly: true }])).toBeUndefined();
      expect((await store.peek([counted.key, budget.key])).map((state) => state.count)).toEqual([1, 0]);
      await store.countAll([budget]);
      expect(await store.countAll([counted, { ...budget, checkOnly: true }])).toBeGreaterThan(0);
      expect((await store.peek([counted.key, budget.key])).map((state) => state.count)).toEqual([1, 1]);
    });

    it('lives from its first count, or from its latest when it renews', async () => {
      const store = makeStore();
      const fixed = { key: key('fixed'), points: 10, ms: 400 };
      const renewed = { key: key('renewed'), points: 10, ms: 400, renew: true };
      await store.countAll([fixed, renewed]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await store.countAll([fixed, renewed]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await store.peek([fixed.key, renewed.key])).map((state) => state.count)).toEqual([0, 2]);
    });

    it('gives back what was counted, never below zero, and peeks at nothing for unknown keys', async () => {
      const store = makeStore();
      const counter = { key: key('give'), points: 2, ms: 60_000 };
      await store.countAll([counter]);
      await store.countAll([counter]);
      expect(await store.countAll([counter])).toBeGreaterThan(0);
      await store.uncount([counter.key]);
      expect(await store.countAll([counter])).toBeUndefined();
      const unknown = key('unknown');
      await store.uncount([unknown]);
      expect(await store.peek([unknown])).toEqual([{ count: 0, ms: 0 }]);
    });

    it('claims a key once, however many ask at the same time', async () => {
      const store = makeStore();
      const claimed = key('claim');
      const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(claimed, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps, replaces and deletes values', async () => {
      const store = makeStore();
      const value = key('value');
      expect(await store.get(value)).toBeUndefined();
      await store.set(value, 'one', 60_000);
      await store.set(value, 'two', 60_000);
      expect(await store.get(value)).toBe('two');
      await store.delete(value);
      expect(await store.get(value)).toBeUndefined();
    });

    it('raises a ranked value only to a higher rank, keeping its lifetime, and never creates one', async () => {
      const store = makeStore();
      const ranked = key('ranked');
      expect(await store.raise(ranked, '2|sent')).toBe('missing');
      expect(await store.get(ranked)).toBeUndefined();
      await store.set(ranked, '0|sending', 60_000);
      expect(await store.raise(ranked, '2|sent')).toBe('raised');
      expect(await store.raise(ranked, '1|queued')).toBe('kept');
      expect(await store.raise(ranked, '2|sent again')).toBe('kept');
      expect(await store.raise(ranked, '10|delivered')).toBe('raised'); // ranks compare as numbers
      expect(await store.raise(ranked, '3|late')).toBe('kept');
      expect(await store.get(ranked)).toBe('10|delivered');
      const lives = key('lives');
      await store.set(lives, '0|a', 300);
      await store.raise(lives, '1|b');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await store.get(lives)).toBeUndefined();
    });
  });
}

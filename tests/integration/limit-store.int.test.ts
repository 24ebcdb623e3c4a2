import { randomUUID } from 'node:crypto';

import { describe, expect, inject, it } from 'vitest';

import { redisStore } from '@/lib/server/limit-store';
import { describeLimitStore } from '@/lib/server/limit-store.test-support';
import { keyLifetimes } from '../support/limits';

// The same contract the memory store meets, against the real Redis of the test stack: counts and
// claims stay exact under parallel requests because each is one script or one SET NX.
const stack = inject('stack');

describeLimitStore('Redis', () => redisStore(stack.redisUrl, 1_000));

describe('Redis limit store', () => {
  it('gives every key it writes a lifetime, whichever operation wrote it last', async () => {
    const store = redisStore(stack.redisUrl, 1_000);
    const prefix = `{sms-sign-in}:test:lifetimes:${randomUUID()}`;
    const key = (label: string) => `${prefix}:${label}`;
    await store.countAll([
      { key: key('counted'), points: 5, ms: 60_000 },
      { key: key('checked'), points: 5, ms: 60_000, checkOnly: true },
    ]);
    await store.countAll([{ key: key('given-back'), points: 5, ms: 60_000 }]);
    await store.uncount([key('given-back'), key('never-counted')]);
    await store.set(key('value'), '0|sending', 60_000);
    await store.raise(key('value'), '1|sent');
    await store.raise(key('missing'), '1|sent');
    await store.claim(key('claimed'), 60_000);
    await store.peek([key('peeked')]);
    const lifetimes = [...(await keyLifetimes(stack.redisUrl))].filter(([name]) => name.startsWith(prefix));
    expect(lifetimes.map(([name]) => name.slice(prefix.length + 1)).sort()).toEqual(['claimed', 'counted', 'given-back', 'value']);
    for (const [name, ms] of lifetimes) expect(ms, name).toBeGreaterThan(59_000);
  });
});

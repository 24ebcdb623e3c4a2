import { describe, expect, it } from 'vitest';

import { memoryStore } from './shared-store';
import { describeSharedStore } from './shared-store.test-support';

describeSharedStore('memory', () => memoryStore());

describe('memoryStore, at its bound', () => {
  it('forgets the key written longest ago to make room, and counts a write as fresh', async () => {
    const store = memoryStore({ maxKeys: 3 });
    const counter = (key: string) => ({ key, points: 10, ms: 60_000 });
    await store.countAll([counter('a')]);
    await store.set('b', 'kept', 60_000);
    await store.claim('c', 60_000);
    await store.countAll([counter('a')]); // written again: now the freshest
    await store.set('d', 'new', 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect((await store.peek(['a']))[0]!.count).toBe(2);
    expect([await store.get('c'), await store.get('d')]).toEqual(['1', 'new']);
    await store.countAll([counter('e'), counter('f')]);
    expect((await store.peek(['a', 'c', 'e', 'f'])).map((state) => state.count)).toEqual([0, 0, 1, 1]);
    expect(await store.get('d')).toBe('new');
  });
});

import 'server-only';

import Redis from 'ioredis';

import type { Env } from './env';
import { ApiError } from './errors';

/**
 * A counter to count one against, refused once it holds `points`; it lives `ms` from its first
 * count, or from its latest with `renew`. A `checkOnly` one refuses like the others when full but
 * is never counted.
 */
export type Counter = { key: string; points: number; ms: number; checkOnly?: boolean; renew?: boolean };

/**
 * Where the sign-in keeps what must be shared by every instance of the app: counters, and a few
 * short-lived values. Every operation is atomic, so parallel requests can neither pass a limit
 * together nor both claim one value.
 */
export interface LimitStore {
  /** Counts one against every counter, or against none if any is full: the ms until it empties. */
  countAll(counters: readonly Counter[]): Promise<number | undefined>;
  /** Takes one back from each counter that still exists. */
  uncount(keys: readonly string[]): Promise<void>;
  /** Each counter's count and the ms it still lives (0 for one that does not exist). */
  peek(keys: readonly string[]): Promise<Array<{ count: number; ms: number }>>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ms: number): Promise<void>;
  /** Sets the value only if the key holds none; answers whether it did. */
  claim(key: string, ms: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * For ranked values, written as `<rank>|<anything>`: replaces the key's value, keeping its
   * lifetime, only when the new rank is higher, so a state can move forward and never back.
   */
  raise(key: string, value: string): Promise<'missing' | 'kept' | 'raised'>;
}

/** The rank of a ranked value (`<rank>|…`, see LimitStore.raise); 0 for any other value. */
function rankOf(value: string): number {
  return Number(/^(\d+)\|/.exec(value)?.[1] ?? 0);
}

/** In Redis when REDIS_URL is set (every instance counts together), else in this process. */
export function createLimitStore(env: Env): LimitStore {
  return env.REDIS_URL ? redisStore(env.REDIS_URL, env.REDIS_TIMEOUT_MS) : memoryStore();
}

/**
 * How many keys the memory store keeps at most. Numbers nobody owns leave keys too (counters,
 * one of them for a day, a code window, a delivery record), so without a bound a flood of starts
 * from many addresses would grow the process until it fell over. At the bound the key written
 * longest ago makes room: to push out a live counter an attacker must write this many keys after
 * it, spread over enough addresses to pass the per-address limits. What that takes and what the
 * bound costs in heap: docs/benchmarks.md, "Memory".
 */
export const MEMORY_STORE_MAX_KEYS = 100_000;

/** This process's store, for one instance (SINGLE_INSTANCE=true in production) and for tests. */
export function memoryStore({ maxKeys = MEMORY_STORE_MAX_KEYS }: { maxKeys?: number } = {}): LimitStore {
  // A Map keeps its keys in the order they were set: deleting before setting moves a key written
  // again to the end, so the first key is always the one written longest ago.
  const entries = new Map<string, { value: string; expiresAt: number }>();
  // One iterator walks from the oldest key on. A fresh one per eviction would step again over
  // every key already deleted (V8 keeps their slots until the table is rebuilt), which made a
  // full store crawl (docs/benchmarks.md, "Memory").
  let oldest = entries.keys();
  const evictOldest = () => {
    let next = oldest.next();
    if (next.done) {
      oldest = entries.keys();
      next = oldest.next();
    }
    entries.delete(next.value!);
  };
  let writesSinceSweep = 0;
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  const put = (key: string, value: string, expiresAt: number) => {
    entries.delete(key);
    entries.set(key, { value, expiresAt });
    // Forget expired entries now and then, so that they do not push out live ones: after as many
    // writes as there are entries, so a sweep costs each write one look at one entry.
    if (++writesSinceSweep >= Math.max(1000, entries.size)) {
      writesSinceSweep = 0;
      for (const k of entries.keys()) live(k);
    }
    while (entries.size > maxKeys) evictOldest();
  };
  const count = (key: string) => Number(live(key)?.value ?? 0);
  return {
    async countAll(counters) {
      const full = counters.filter((c) => count(c.key) >= c.points);
      if (full.length) return Math.max(1, ...full.map((c) => live(c.key)!.expiresAt - Date.now()));
      for (const c of counters) {
        if (!c.checkOnly) put(c.key, String(count(c.key) + 1), (!c.renew && live(c.key)?.expiresAt) || Date.now() + c.ms);
      }
      return undefined;
    },
    async uncount(keys) {
      for (const key of keys) {
        const entry = live(key);
        if (entry && Number(entry.value) > 0) entry.value = String(Number(entry.value) - 1);
      }
    },
    async peek(keys) {
      return keys.map((key) => ({ count: count(key), ms: Math.max(0, (live(key)?.expiresAt ?? Date.now()) - Date.now()) }));
    },
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ms) {
      put(key, value, Date.now() + ms);
    },
    async claim(key, ms) {
      if (live(key)) return false;
      put(key, '1', Date.now() + ms);
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async raise(key, value) {
      const entry = live(key);
      if (!entry) return 'missing';
      if (rankOf(entry.value) >= rankOf(value)) return 'kept';
      entry.value = value;
      return 'raised';
    },
  };
}

// Check every counter, then count all or none (but the check-only ones), in one round trip that
// nothing can interleave with. ARGV: points, ms, mode per key (0 count, 1 check only, 2 count and renew).
const COUNT_ALL = `
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[3 * i - 2]) then
    wait = math.max(wait, redis.call('PTTL', key), 1)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local mode = ARGV[3 * i]
  if mode ~= '1' and (redis.call('INCR', key) == 1 or mode == '2') then redis.call('PEXPIRE', key, ARGV[3 * i - 1]) end
end
return 0`;

const UNCOUNT = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0`;

const PEEK = `
local out = {}
for _, key in ipairs(KEYS) do
  table.insert(out, tonumber(redis.call('GET', key) or '0'))
  table.insert(out, math.max(redis.call('PTTL', key), 0))
end
return out`;

// The same rank rule as rankOf, in Lua: the digits before the first '|'.
const RAISE = `
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
local function rank(value) return tonumber(string.match(value, '^(%d+)|') or '0') end
if rank(current) >= rank(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return 1`;

type Scripts = {
  raise(...args: Array<string | number>): Promise<number>;
  countAll(...args: Array<string | number>): Promise<number>;
  uncount(...args: Array<string | number>): Promise<number>;
  peek(...args: Array<string | number>): Promise<number[]>;
};

export function redisStore(url: string, timeoutMs: number): LimitStore {
  // Auto-pipelining: the commands of one tick (parallel requests', or one request's Promise.all)
  // go out in one socket write. Each write costs a system call and a wake-up of Redis; on a busy
  // host those, not Redis, are what a round trip costs (docs/benchmarks.md, "The Redis-mode tail").
  const redis = new Redis(url, {
    commandTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
  });
  redis.on('error', () => undefined); // failures surface on the commands themselves
  redis.defineCommand('countAll', { lua: COUNT_ALL });
  redis.defineCommand('uncount', { lua: UNCOUNT });
  redis.defineCommand('peek', { lua: PEEK });
  redis.defineCommand('raise', { lua: RAISE });
  const scripts = redis as unknown as Scripts;
  return {
    async countAll(counters) {
      if (!counters.length) return undefined;
      const args = counters.flatMap((c) => [c.points, c.ms, c.checkOnly ? 1 : c.renew ? 2 : 0]);
      const wait = await reach(scripts.countAll(counters.length, ...counters.map((c) => c.key), ...args));
      return wait > 0 ? wait : undefined;
    },
    async uncount(keys) {
      if (keys.length) await reach(scripts.uncount(keys.length, ...keys));
    },
    async peek(keys) {
      if (!keys.length) return [];
      const flat = await reach(scripts.peek(keys.length, ...keys));
      return keys.map((_, i) => ({ count: flat[2 * i]!, ms: flat[2 * i + 1]! }));
    },
    async get(key) {
      return (await reach(redis.get(key))) ?? undefined;
    },
    async set(key, value, ms) {
      await reach(redis.set(key, value, 'PX', Math.max(1, Math.ceil(ms))));
    },
    async claim(key, ms) {
      return (await reach(redis.set(key, '1', 'PX', Math.max(1, Math.ceil(ms)), 'NX'))) === 'OK';
    },
    async delete(key) {
      await reach(redis.del(key));
    },
    async raise(key, value) {
      const outcome = await reach(scripts.raise(1, key, value));
      return outcome < 0 ? 'missing' : outcome === 0 ? 'kept' : 'raised';
    },
  };
}

/** A store that does not answer refuses the request (503) rather than letting it through uncounted. */
async function reach<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new ApiError('upstream_unavailable', {}, { cause: `rate limit store: ${(error as Error)?.message ?? error}` });
  }
}

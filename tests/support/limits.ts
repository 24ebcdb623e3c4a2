import { Redis } from 'ioredis';

/** Forgets every rate-limit counter of the test stack (its Redis holds nothing else). */
export async function resetLimits(redisUrl: string) {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

/**
 * Every key in that Redis with its lifetime in ms (Redis answers -1 for a key that lives for
 * ever), read with SCAN as an operator would, so nothing the app wrote is missed.
 */
export async function keyLifetimes(redisUrl: string): Promise<Map<string, number>> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const lifetimes = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'COUNT', 1000);
      cursor = next;
      const ttls = await Promise.all(keys.map((key) => client.pttl(key)));
      keys.forEach((key, i) => lifetimes.set(key, ttls[i]!));
    } while (cursor !== '0');
    return lifetimes;
  } finally {
    client.disconnect();
  }
}

/** The keys of that Redis that would live for ever; [] when every key expires. */
export async function keysWithoutExpiry(redisUrl: string): Promise<string[]> {
  return [...(await keyLifetimes(redisUrl))].filter(([, ms]) => ms < 0).map(([key]) => key);
}

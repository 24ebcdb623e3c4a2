import { Redis } from 'ioredis';

/** Where the app keeps delivery records and the courses that strangers' imitations copy. */
const DELIVERIES = '{sms-sign-in}:delivery';

/**
 * Forgets every rate-limit counter of the test stack (its Redis holds nothing else), and with
 * `keepDeliveries` only those: what a comparison of members' and strangers' deliveries has
 * learned so far stays, as it would on a site whose limits simply ran out.
 */
export async function resetLimits(redisUrl: string, { keepDeliveries = false } = {}) {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    if (!keepDeliveries) {
      await client.flushall();
      return;
    }
    const limits = (await client.keys('*')).filter((key) => !key.startsWith(DELIVERIES));
    if (limits.length) await client.del(...limits);
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

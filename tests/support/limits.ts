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

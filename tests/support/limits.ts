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

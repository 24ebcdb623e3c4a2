// A throwaway redis-server for tests and benchmarks (Debian's `redis-server` package).
import { Redis } from 'ioredis';

import { startService } from './service';
import { waitFor } from './wait';

export type LocalRedis = { url: string; flush(): Promise<void>; stop(): Promise<void> };

export async function startRedis(port: number): Promise<LocalRedis> {
  const server = startService(
    'redis',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      quiet: true,
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined); // the wait below retries until it connects, then reports why not
  const connected = async () => {
    try {
      await client.connect();
      await client.ping();
      return true;
    } catch {
      client.disconnect();
      return undefined;
    }
  };
  await waitFor(`redis-server answered on ${url} (is it installed? apt-get install redis-server)`, connected, {
    timeoutMs: 10_000,
    intervalMs: 100,
    service: server,
  });
  return {
    url,
    async flush() {
      await client.flushall();
    },
    async stop() {
      client.disconnect();
      await server.stop();
    },
  };
}

// A throwaway redis-server for tests and benchmarks (Debian's `redis-server` package).
import { Redis } from 'ioredis';

import { startService } from './service';

export type LocalRedis = { url: string; flush(): Promise<void>; stop(): Promise<void> };

export async function startRedis(port: number): Promise<LocalRedis> {
  const server = startService('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    quiet: true,
  });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined); // connection attempts below report their own failures
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      client.disconnect();
      if (server.child.exitCode !== null) throw new Error(`redis-server exited (${server.child.exitCode}); is it installed? (apt-get install redis-server)`);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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

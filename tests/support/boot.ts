import { join } from 'node:path';

import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startService } from '../../dev/stack/service';

const server = join(import.meta.dirname, '..', '..', '.next', 'standalone', 'server.js');

/** Starts the production server and waits for it to exit on its own (or not, within 15 s). */
export async function bootWith(stack: { appEnv: Record<string, string> }, env: Record<string, string>) {
  const lines: string[] = [];
  const port = TEST_PORTS.app + 4;
  const app = startService('app', process.execPath, [server], {
    env: { ...stack.appEnv, HOSTNAME: '127.0.0.1', PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, ...env },
    quiet: true,
    onLine: (line) => lines.push(line),
  });
  const exit = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 15_000);
    app.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  await app.stop();
  return { exit, output: lines.join('\n') };
}

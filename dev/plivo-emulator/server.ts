// Entry point for code: startEmulator() listens, dispatches to Plivo's routes or the /dev/ routes,
// and close() stops everything at once, hung requests included.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContext, DEFAULTS, type EmulatorContext, type EmulatorOptions } from './context';
import { handleDev } from './dev-routes';
import { sendPlivoError } from './http-io';
import { handlePlivo, matchPlivoRoute } from './plivo-routes';

export type { EmulatorOptions } from './context';

export interface RunningEmulator {
  /** http://HOST:PORT, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const ctx = createContext(options);
  const server = createServer((req, res) => {
    dispatch(ctx, req, res).catch((err: unknown) => {
      ctx.log(`internal error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendPlivoError(res, 500, 'internal server error');
      else res.destroy();
    });
  });

  const host = options.host ?? DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        ctx.dispose();
        server.close(() => resolve());
        // Hung requests (the "hang" fault) and keep-alive sockets would hold close() open.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function dispatch(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  if (url.pathname === '/dev' || url.pathname.startsWith('/dev/')) return handleDev(ctx, url, req, res);
  const route = matchPlivoRoute(url.pathname);
  if (!route) return sendPlivoError(res, 404, 'not found');
  return handlePlivo(ctx, route, url, req, res);
}

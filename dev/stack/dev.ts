// `npm run dev`: the local Directus and the Plivo emulator (each unless a real one is configured),
// then `next dev`; prints where everything is and stops it all on Ctrl-C.
import { join } from 'node:path';

import nextEnv from '@next/env';

import { LOCAL_STACK } from '../../lib/local-stack';
import { startLocalDirectus } from '../directus/index';
import { startEmulator } from '../plivo-emulator/server';
import { startService, waitForHttp } from './service';

const root = join(import.meta.dirname, '..', '..');
nextEnv.loadEnvConfig(root, true);

const port = Number(process.env.PORT ?? 3000);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
const stops: Array<() => Promise<void>> = [];

let stopping: Promise<void> | undefined;
/** Stops everything at once (a second Ctrl-C or a SIGTERM joins the first), then exits. */
async function shutdown(code: number) {
  stopping ??= Promise.all(stops.map((stop) => stop().catch(() => undefined))).then(() => undefined);
  await stopping;
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main() {
  const lines = [`App:       ${appUrl}/login`];

  // The values of .env.example are the local stack's own, so copying that file changes nothing.
  const directusUrl = process.env.DIRECTUS_URL;
  if (directusUrl && directusUrl !== LOCAL_STACK.directus.url) {
    lines.push(`Directus:  ${directusUrl} (configured)`);
  } else {
    const directus = await startLocalDirectus({ port: 8055, dataDir: join(root, '.local', 'directus', 'dev'), plivoApiUrl: LOCAL_STACK.plivo.apiUrl });
    stops.push(() => directus.stop());
    lines.push(`Directus:  ${directus.url}/admin  (${LOCAL_STACK.directus.adminEmail} / ${LOCAL_STACK.directus.adminPassword})`);
  }

  const plivoAuthId = process.env.PLIVO_AUTH_ID;
  if (plivoAuthId && plivoAuthId !== LOCAL_STACK.plivo.authId) {
    lines.push('SMS:       Plivo (configured)');
  } else {
    const emulator = await startEmulator({
      port: 4010,
      authId: LOCAL_STACK.plivo.authId,
      authToken: LOCAL_STACK.plivo.authToken,
      appUuid: LOCAL_STACK.plivo.appUuid,
      log: (line) => console.log(`[plivo-emulator] ${line}`),
    });
    stops.push(() => emulator.close());
    lines.push(`SMS:       Plivo Verify emulator at ${emulator.url}; codes appear at ${appUrl}/dev/inbox`);
  }

  const next = startService('next', process.execPath, [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'dev', '--port', String(port)], { cwd: root });
  stops.push(() => next.stop());
  next.child.once('exit', (code) => void shutdown(code ?? 1));
  await waitForHttp(`${appUrl}/api/health`, { timeoutMs: 120_000, service: next });

  lines.push(`Demo:      sign in as ${LOCAL_STACK.demoMember.first_name} with ${LOCAL_STACK.demoMember.phone}`);
  console.log(`\nReady.\n  ${lines.join('\n  ')}\n\nPress Ctrl-C to stop everything.\n`);
}

main().catch(async (error: unknown) => {
  console.error(`\nnpm run dev failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});

// `npm run dev`: checks the configuration, then starts the local Directus and the Plivo emulator
// (each unless a real one is configured), then `next dev`; prints where everything is and stops
// it all on Ctrl-C.
import { join } from 'node:path';

import nextEnv from '@next/env';

import { LOCAL_STACK } from '../../lib/local-stack';
import { startLocalDirectus } from '../directus/index';
import { startEmulator } from '../plivo-emulator/server';
import { checkDevConfig, DevConfigError } from './dev-config';
import { startService } from './service';
import { waitForHttp } from './wait';

const root = join(import.meta.dirname, '..', '..');
nextEnv.loadEnvConfig(root, true);

// Before anything starts: a bad variable would otherwise surface as a 500 on every request.
const config = (() => {
  try {
    return checkDevConfig(process.env);
  } catch (error) {
    if (!(error instanceof DevConfigError)) throw error;
    console.error(
      `\nnpm run dev: ${error.message}\n\nNothing was started. Fix the variables above (in .env or the environment) and run it again.`,
    );
    process.exit(1);
  }
})();
const { ports } = config;
const appUrl = config.appEnv.APP_URL!;
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

  const emulatorUrl = `http://127.0.0.1:${ports.emulator}`;
  if (!config.localDirectus) {
    lines.push(`Directus:  ${process.env.DIRECTUS_URL} (configured)`);
  } else {
    // A Directus on another port keeps its data apart, so it never shares a database with the usual one.
    const dataDir = join(root, '.local', 'directus', ports.directus === 8055 ? 'dev' : `dev-${ports.directus}`);
    // The static strategy's service account only where the app uses it.
    const strategies = [process.env.DIRECTUS_CREDENTIALS === 'static' ? 'static' : 'session'] as const;
    const directus = await startLocalDirectus({
      port: ports.directus,
      dataDir,
      plivoApiUrl: emulatorUrl,
      strategies,
      env: config.directusEnv,
    });
    stops.push(() => directus.stop());
    lines.push(`Directus:  ${directus.url}/admin  (${LOCAL_STACK.directus.adminEmail} / ${LOCAL_STACK.directus.adminPassword})`);
  }

  if (!config.localPlivo) {
    lines.push('SMS:       Plivo (configured)');
  } else {
    const emulator = await startEmulator({
      port: ports.emulator,
      authId: LOCAL_STACK.plivo.authId,
      authToken: LOCAL_STACK.plivo.authToken,
      appUuid: LOCAL_STACK.plivo.appUuid,
      log: (line) => console.log(`[plivo-emulator] ${line}`),
    });
    stops.push(() => emulator.close());
    lines.push(`SMS:       Plivo Verify emulator at ${emulator.url}; codes appear at ${appUrl}/dev/inbox`);
  }

  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const next = startService('next', process.execPath, [nextBin, 'dev', '--port', String(ports.app)], { cwd: root, env: config.appEnv });
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

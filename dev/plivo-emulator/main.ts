// `npm run emulator`: the Plivo Verify emulator as a process, for the local dev stack.
//   PLIVO_AUTH_ID / PLIVO_AUTH_TOKEN / PLIVO_APP_UUID   (defaults: lib/local-stack.ts)
//   --port 4010  --host 127.0.0.1  --expiry-seconds 600
import { parseArgs } from 'node:util';
import { LOCAL_STACK } from '../../lib/local-stack';
import { startEmulator } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'expiry-seconds': { type: 'string' },
  },
});

function positiveInteger(name: string, raw: string | undefined, allowZero = false): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    console.error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const log = (line: string): void => console.log(`[plivo-emulator] ${line}`);

const emulator = await startEmulator({
  authId: process.env.PLIVO_AUTH_ID || LOCAL_STACK.plivo.authId,
  authToken: process.env.PLIVO_AUTH_TOKEN || LOCAL_STACK.plivo.authToken,
  appUuid: process.env.PLIVO_APP_UUID || LOCAL_STACK.plivo.appUuid,
  port: positiveInteger('port', values.port, true),
  host: values.host,
  expirySeconds: positiveInteger('expiry-seconds', values['expiry-seconds']),
  log,
});

log(`listening on ${emulator.url} (codes: ${emulator.url}/dev/sessions)`);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

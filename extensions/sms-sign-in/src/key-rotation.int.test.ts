// Rotating the app key without a failed sign-in: Directus restarted with a new SMS_SIGN_IN_APP_KEY
// and the old one as SMS_SIGN_IN_APP_KEY_PREVIOUS accepts both, and a sign-in whose lookup ran
// under the old key completes after the switch, whichever key the app sends by then. One data
// dir, two Directus starts on it, so always SQLite (the database runs leave this file out).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDirectus, type LocalDirectus } from '../../../dev/directus/index';
import { startEmulator } from '../../../dev/plivo-emulator/server';
import { LOCAL_STACK } from '../../../lib/local-stack';
import { TEST_PORTS } from '../../../dev/stack/test-ports';
import { call, createUser, issue, nextPhone, verifiedPlivoSession } from './sign-in.test-support';

const SLOT = 26;
const OLD_KEY = 'the-old-app-key-that-is-long-enough-0123456789';
const NEW_KEY = 'the-new-app-key-that-is-long-enough-9876543210';
const { plivo } = LOCAL_STACK;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let dataDir: string;
let directus: LocalDirectus | undefined;
const logs: string[] = [];

async function start(env: Record<string, string>, fresh: boolean): Promise<LocalDirectus> {
  await directus?.stop();
  directus = await startLocalDirectus({
    port: TEST_PORTS.directus + SLOT,
    dataDir,
    fresh,
    plivoApiUrl: emulator.url,
    log: (line) => logs.push(line),
    env: { LOG_LEVEL: 'info', ...env },
  });
  return directus;
}

const lookup = (target: LocalDirectus, phone: string, key: string) =>
  call<{ member: string | null }>(`${target.url}/sms-sign-in/lookup`, { body: { phone }, headers: { 'X-SMS-Sign-In-Key': key } });

beforeAll(async () => {
  emulator = await startEmulator({
    port: TEST_PORTS.emulator + SLOT,
    authId: plivo.authId,
    authToken: plivo.authToken,
    appUuid: plivo.appUuid,
  });
  dataDir = await mkdtemp(join(tmpdir(), 'sms-sign-in-rotation-'));
}, 60_000);

afterAll(async () => {
  await directus?.stop();
  await emulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('SMS_SIGN_IN_APP_KEY_PREVIOUS', () => {
  it('sign-ins started under the old key complete after Directus switched, with the old key or the new one; the old key ends when the setting goes', async () => {
    let target = await start({ SMS_SIGN_IN_APP_KEY: OLD_KEY }, true);
    // Two people mid-sign-in: looked up (the app keeps the member reference), code typed.
    const pending = [];
    for (let i = 0; i < 2; i++) {
      const phone = nextPhone();
      await createUser(target, { phone });
      const { body } = await lookup(target, phone, OLD_KEY);
      expect(body.member).toMatch(/^m_/);
      pending.push({ phone, member: body.member!, uuid: await verifiedPlivoSession(emulator.url, phone) });
    }

    // Step 1: Directus gets the new key, and keeps the old one as the previous key.
    target = await start({ SMS_SIGN_IN_APP_KEY: NEW_KEY, SMS_SIGN_IN_APP_KEY_PREVIOUS: OLD_KEY }, false);
    // The app, not switched yet, finishes the first sign-in with the old key...
    const first = await issue(
      target,
      { phone: pending[0]!.phone, plivo_session_uuid: pending[0]!.uuid, member: pending[0]!.member },
      OLD_KEY,
    );
    expect(first.status).toBe(200);
    // ...and, switched, the second with the new key.
    const second = await issue(
      target,
      { phone: pending[1]!.phone, plivo_session_uuid: pending[1]!.uuid, member: pending[1]!.member },
      NEW_KEY,
    );
    expect(second.status).toBe(200);
    // Lookups answer under both keys, with the same reference.
    const phone = pending[0]!.phone;
    expect((await lookup(target, phone, OLD_KEY)).body.member).toBe((await lookup(target, phone, NEW_KEY)).body.member);
    expect(logs.join('\n')).not.toContain(OLD_KEY);

    // Step 2: the previous key unset, the old key is refused.
    target = await start({ SMS_SIGN_IN_APP_KEY: NEW_KEY }, false);
    expect((await lookup(target, phone, OLD_KEY)).status).toBe(401);
    expect((await lookup(target, phone, NEW_KEY)).status).toBe(200);
  }, 300_000);
});

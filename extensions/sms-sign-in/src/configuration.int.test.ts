// What the extension does at Directus start with a bad configuration (says so, answers 503) and
// with the Plivo proof turned off (warns, and signs in without asking Plivo), and without a
// sign-up role (signs nobody up); and on a Directus the setup has not prepared yet (no phone field).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK } from '../../../lib/local-stack';
import { runSetup } from '../../../scripts/directus-setup/setup';
import { admin, call, createUser, issue, nextPhone, startSignInStack, type SignInStack } from './sign-in.test-support';

const stacks: SignInStack[] = [];

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
}, 60_000);

async function start(slot: number, env: Record<string, string>): Promise<SignInStack> {
  const stack = await startSignInStack({ slot, env: { LOG_LEVEL: 'warn', ...env } });
  stacks.push(stack);
  return stack;
}

describe('a misconfigured extension', () => {
  it('names each problem once at start and answers 503 on every route, key or not', async () => {
    const stack = await start(21, { SMS_SIGN_IN_APP_KEY: 'too-short', SMS_SIGN_IN_MEMBER_ROLES: '', SMS_SIGN_IN_PLIVO_AUTH_TOKEN: '' });
    const { url } = stack.directus;
    const replies = [
      await call(`${url}/sms-sign-in/lookup`, { body: { phone: '+447400123456' }, headers: { 'X-SMS-Sign-In-Key': 'too-short' } }),
      await call(`${url}/sms-sign-in/issue`, { body: {} }),
      await call(`${url}/sms-sign-in/me`),
      await call(`${url}/sms-sign-in/devices`),
    ];
    for (const reply of replies) expect(reply).toMatchObject({ status: 503, body: { error: { code: 'not_configured' } } });
    const errors = stack.logs.filter((line) => line.includes('error: sms-sign-in:'));
    expect(errors).toEqual([
      expect.stringContaining('SMS_SIGN_IN_APP_KEY must be at least 32 characters'),
      expect.stringContaining('SMS_SIGN_IN_MEMBER_ROLES must list the member role ids'),
      expect.stringContaining('SMS_SIGN_IN_PLIVO_AUTH_TOKEN is required while SMS_SIGN_IN_PLIVO_PROOF is on'),
    ]);
    expect(stack.logs.join('\n')).not.toContain('too-short');
  }, 120_000);
});

// One Directus for three: the proof off, sign-up off (no SMS_SIGN_IN_SIGN_UP_ROLE), and a wrong passkey setting.
describe('SMS_SIGN_IN_PLIVO_PROOF=off, SMS_SIGN_IN_SIGN_UP_ROLE unset, a passkey origin off the RP ID', () => {
  let stack: SignInStack;
  beforeAll(async () => {
    stack = await start(22, {
      SMS_SIGN_IN_PLIVO_PROOF: 'off',
      SMS_SIGN_IN_PLIVO_API_URL: 'http://127.0.0.1:9',
      SMS_SIGN_IN_SIGN_UP_ROLE: '',
      SMS_SIGN_IN_PASSKEY_RP_ID: 'example.com',
      SMS_SIGN_IN_PASSKEY_ORIGINS: 'https://app.example.org',
    });
  }, 600_000);

  it('names the passkey setting once and answers 503 passkeys_not_configured on the passkey routes only', async () => {
    expect(stack.logs.filter((line) => line.includes('error: sms-sign-in:'))).toEqual([
      expect.stringContaining(
        'SMS_SIGN_IN_PASSKEY_ORIGINS: "https://app.example.org" is not on SMS_SIGN_IN_PASSKEY_RP_ID (example.com) or a subdomain of it. The passkey routes answer 503 passkeys_not_configured',
      ),
    ]);
    const notConfigured = { status: 503, body: { error: { code: 'passkeys_not_configured' } } };
    const { url, signInKey } = stack.directus;
    expect(
      await call(`${url}/sms-sign-in/passkeys/sign-in/options`, { body: {}, headers: { 'X-SMS-Sign-In-Key': signInKey } }),
    ).toMatchObject(notConfigured);
    const phone = nextPhone();
    await createUser(stack.directus, { phone });
    const issued = await issue(stack.directus, { phone, plivo_session_uuid: '5f1e4a52-6b7c-4d8e-9f00-112233445566' });
    expect(issued.status).toBe(200);
    const token = (issued.body as { access_token: string }).access_token;
    expect(await call(`${url}/sms-sign-in/passkeys`, { headers: { Authorization: `Bearer ${token}` } })).toMatchObject(notConfigured);
  });

  it('warns at start and issues without asking Plivo', async () => {
    expect(stack.logs.filter((line) => line.includes('warn: sms-sign-in:'))).toEqual([
      expect.stringContaining('SMS_SIGN_IN_PLIVO_PROOF=off'),
    ]);
    const phone = nextPhone();
    await createUser(stack.directus, { phone });
    const uuid = '3f1e4a52-6b7c-4d8e-9f00-112233445566';
    expect((await issue(stack.directus, { phone, plivo_session_uuid: uuid })).status).toBe(200);
    // Still once per uuid.
    expect((await issue(stack.directus, { phone, plivo_session_uuid: uuid })).status).toBe(403);
    expect(stack.directus.signInKey).toBe(LOCAL_STACK.directus.signInKey);
  });

  it('signs nobody up: lookup never says unclaimed, and issue with sign_up is refused', async () => {
    const phone = nextPhone();
    const lookup = await call(`${stack.directus.url}/sms-sign-in/lookup`, {
      body: { phone },
      headers: { 'X-SMS-Sign-In-Key': stack.directus.signInKey },
    });
    expect(lookup.body).toEqual({ member: null, unclaimed: false });
    const reply = await issue(stack.directus, { phone, plivo_session_uuid: '4f1e4a52-6b7c-4d8e-9f00-112233445566', sign_up: true });
    expect(reply).toMatchObject({ status: 403, body: { error: { code: 'refused' } } });
    const users = await call<{ data: unknown[] }>(`${stack.directus.url}/users?filter[phone][_eq]=${encodeURIComponent(phone)}&fields=id`, {
      headers: { Authorization: `Bearer ${stack.directus.adminToken}` },
    });
    expect(users.body.data).toEqual([]);
  });
});

describe('a local Directus for the session strategy only', () => {
  let stack: SignInStack;
  beforeAll(async () => {
    stack = await start(25, { LOG_LEVEL: 'info' });
  }, 600_000);

  it("has only the phone field and no service account: nothing of the static strategy's", async () => {
    const fields = await admin<{ field: string }[]>(stack.directus, '/fields/directus_users');
    expect(fields.map((f) => f.field).filter((f) => ['phone', 'otp_session_uuid', 'token_expires_at'].includes(f))).toEqual(['phone']);
    expect(
      await admin<unknown[]>(
        stack.directus,
        `/users?fields=id&filter[email][_eq]=${encodeURIComponent(LOCAL_STACK.directus.serviceEmail)}`,
      ),
    ).toEqual([]);
    expect(stack.directus.serviceToken).toBeUndefined();
  });

  it('has passkeys off until the relying party is set: 404 passkeys_off, nothing logged', async () => {
    const { url, signInKey } = stack.directus;
    expect(
      await call(`${url}/sms-sign-in/passkeys/sign-in/options`, { body: {}, headers: { 'X-SMS-Sign-In-Key': signInKey } }),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'passkeys_off' } },
    });
    expect(stack.logs.filter((line) => line.includes('passkey'))).toEqual([]);
  });

  // Last: it takes the phone field away.
  it('without the phone field (the setup has not run yet): its own 503 phone_field_missing, the field named once in the log; the setup probes after creating it', async () => {
    const { directus } = stack;
    // What a freshly bootstrapped Directus looks like to the extension.
    await admin(directus, '/fields/directus_users/phone', undefined, 'DELETE');
    const lookup = () =>
      call(`${directus.url}/sms-sign-in/lookup`, { body: { phone: nextPhone() }, headers: { 'X-SMS-Sign-In-Key': directus.signInKey } });
    for (const reply of [await lookup(), await lookup()])
      expect(reply).toMatchObject({ status: 503, body: { error: { code: 'phone_field_missing' } } });
    const lines = stack.logs.filter((line) => line.includes('sms-sign-in:'));
    expect(lines).toEqual([expect.stringContaining('directus_users has no phone field')]);

    const report = await runSetup({ url: directus.url, token: directus.adminToken, extensionKey: directus.signInKey });
    expect(report.changes).toContain('create field directus_users.phone (string, unique, E.164 validation)');
    expect(report.extension).toBe('loaded and configured; the key you gave matches (200)');
    expect(report.problems).toEqual([]);
    expect((await lookup()).body).toEqual({ member: null, unclaimed: true });
  });
});

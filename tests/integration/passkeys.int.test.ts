import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { emulatorControl } from '../support/emulator';
import { keysWithoutExpiry, resetLimits } from '../support/limits';
import { credentialIn } from '../support/session';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { apiClient } from './api-client';

// Passkeys through the app's routes, end to end: the app relays, the extension in the real
// Directus makes the challenges and verifies the software authenticator's real answers.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember;
/** The origin the test stack's Directus accepts: the app's, as a browser on localhost names it. */
const ORIGIN = `http://localhost:${new URL(stack.appUrl).port}`;
const RP_ID = 'localhost';

type Api = ReturnType<typeof apiClient>;

async function smsSignIn(): Promise<Api> {
  const api = apiClient(stack.appUrl, { headers: { 'User-Agent': 'Laptop/1.0' } });
  expect((await api.post('/api/auth/start', { phone: ADA.phone })).status).toBe(200);
  expect((await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA.phone) })).status).toBe(200);
  return api;
}

async function addPasskey(api: Api, authenticator: SoftwareAuthenticator, name?: string) {
  const started = await api.post('/api/auth/passkey/add/options');
  expect(started.status).toBe(200);
  const { options } = started.body as { options: { challenge: string; user: { id: string } } };
  const response = authenticator.register({ challenge: options.challenge, origin: ORIGIN, rpId: RP_ID, userHandle: options.user.id });
  return api.post('/api/auth/passkey/add', { response, ...(name ? { name } : {}) });
}

async function passkeySignIn(api: Api, authenticator: SoftwareAuthenticator) {
  const started = await api.post('/api/auth/passkey/sign-in/options');
  expect(started.status).toBe(200);
  const response = authenticator.assert({ challenge: started.body.options.challenge, origin: ORIGIN, rpId: RP_ID });
  return { reply: await api.post('/api/auth/passkey/sign-in', { response }), response };
}

const appLines = () =>
  readFileSync(stack.appLog, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});
afterEach(async () => {
  expect(await keysWithoutExpiry(stack.redisUrl)).toEqual([]);
});

describe('passkeys through the app', () => {
  it('adds a passkey after an SMS sign-in, and signs in with it on another device like a code does', async () => {
    const laptop = await smsSignIn();
    const authenticator = new SoftwareAuthenticator();
    const added = await addPasskey(laptop, authenticator, 'Laptop');
    expect(added).toMatchObject({ status: 200, body: { passkey: { name: 'Laptop', backedUp: false, lastUsedAt: null } } });
    const { id } = added.body.passkey as { id: string };
    expect(await laptop.get('/api/auth/passkey/list')).toMatchObject({ status: 200, body: { passkeys: [{ id, name: 'Laptop' }] } });

    const phone = apiClient(stack.appUrl, { headers: { 'User-Agent': 'Phone/1.0' } });
    const linesBefore = appLines().length;
    const { reply, response } = await passkeySignIn(phone, authenticator);
    expect(reply).toMatchObject({
      status: 200,
      body: { status: 'signed_in', user: { phone: ADA.phone, first_name: 'Ada' }, redirectTo: '/account' },
    });
    expect(reply.headers.get('set-cookie')).toMatch(/^__Host-sms-sign-in=.+HttpOnly/i);
    expect(await credentialIn(phone.cookie?.split('=').slice(1).join('='), stack.appEnv.SESSION_SECRET!)).toEqual(expect.any(String));
    expect(await phone.get('/api/auth/session')).toMatchObject({ status: 200, body: { signedIn: true, user: { phone: ADA.phone } } });
    // Each device its own Directus session.
    const devices = await phone.get('/api/auth/passkey/list');
    expect(devices.body.passkeys[0].lastUsedAt).toEqual(expect.any(String));

    // The same answer again, from a cookie whose ceremony is spent, or with no ceremony at all.
    const refused = { status: 403, body: { error: { code: 'passkey_refused' } } };
    expect(await phone.post('/api/auth/passkey/sign-in', { response })).toMatchObject(refused);
    expect(await apiClient(stack.appUrl).post('/api/auth/passkey/sign-in', { response })).toMatchObject(refused);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = appLines()
      .slice(linesBefore)
      .filter((line) => line.event === 'passkey_sign_in');
    expect(lines.map((line) => line.outcome)).toEqual(['ok', 'passkey_refused', 'passkey_refused']);
    expect(lines[0]).toMatchObject({ userId: expect.any(String) });

    // A session a passkey opened may not add another passkey: that needs a fresh code.
    expect((await phone.post('/api/auth/passkey/add/options')).body).toMatchObject({ error: { code: 'recent_sign_in_required' } });

    expect(await phone.post('/api/auth/passkey/rename', { id, name: 'Work laptop' })).toMatchObject({
      status: 200,
      body: { passkey: { id, name: 'Work laptop' } },
    });
    expect(await laptop.post('/api/auth/passkey/remove', { id })).toMatchObject({ status: 200, body: { status: 'removed' } });
    expect(await laptop.post('/api/auth/passkey/remove', { id })).toMatchObject({
      status: 404,
      body: { error: { code: 'passkey_not_found' } },
    });
    expect((await passkeySignIn(apiClient(stack.appUrl), authenticator)).reply).toMatchObject(refused);
  });

  it('refuses cross-site and non-JSON requests, bodies of the wrong shape, and signed-out callers', async () => {
    const api = apiClient(stack.appUrl);
    expect(await api.post('/api/auth/passkey/sign-in/options', {}, { Origin: 'https://evil.example' })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden_origin' } },
    });
    expect(await api.post('/api/auth/passkey/sign-in', { response: 'nope' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    expect(await api.post('/api/auth/passkey/rename', { id: 'x', name: 'a' })).toMatchObject({ status: 400 });
    expect(await api.post('/api/auth/passkey/add/options')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await api.get('/api/auth/passkey/list')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });

  it('is off on the static strategy', async () => {
    const api = apiClient(stack.staticAppUrl);
    expect(await api.post('/api/auth/passkey/sign-in/options')).toMatchObject({
      status: 404,
      body: { error: { code: 'passkeys_unavailable' } },
    });
  });
});

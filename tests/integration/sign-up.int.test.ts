import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { emulatorControl } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { apiClient } from './api-client';

// SIGN_UP=open through the app, in both credential strategies, against the stack's real Directus
// (whose extension allows sign-up) and the emulator. The stack's own apps keep SIGN_UP closed.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const apps: Record<'session' | 'static', AppInstance> = {} as never;

beforeAll(async () => {
  const open = { ...stack.appEnv, SIGN_UP: 'open' };
  const [session, sttc] = await Promise.all([
    startApp(TEST_PORTS.app + 16, open),
    startApp(TEST_PORTS.app + 17, { ...open, ...stack.staticEnv, DIRECTUS_MEMBER_ROLE: LOCAL_STACK.directus.memberRoleId }),
  ]);
  Object.assign(apps, { session, static: sttc });
});

afterAll(async () => {
  await Promise.all(Object.values(apps).map((app) => app.stop()));
});

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

let counter = 0;
/** A fresh UK mobile number nobody holds, as a person types it (national form) and in E.164. */
function newNumber() {
  const digits = String(100_000 + ((process.pid * 13 + ++counter * 7919) % 899_999));
  return { typed: `07400 9${digits.slice(1)}`, e164: `+4474009${digits.slice(1)}` };
}

type Row = { id: string; phone: string; status: string; role: string; first_name: string | null };
async function usersWithPhone(phone: string): Promise<Row[]> {
  const response = await fetch(
    `${stack.directusUrl}/users?filter[phone][_eq]=${encodeURIComponent(phone)}&fields=id,phone,status,role,first_name`,
    {
      headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}` },
    },
  );
  return ((await response.json()) as { data: Row[] }).data;
}

async function createUser(fields: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${stack.directusUrl}/users?fields=id`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: LOCAL_STACK.directus.memberRoleId, status: 'active', ...fields }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

async function signIn(api: ReturnType<typeof apiClient>, typed: string, e164: string) {
  const started = await api.post('/api/auth/start', { phone: typed, country: 'GB' });
  expect(started.status).toBe(200);
  return api.post('/api/auth/verify', { code: await emulator.latestCode(e164) });
}

describe.each(['session', 'static'] as const)('SIGN_UP=open, DIRECTUS_CREDENTIALS=%s', (strategy) => {
  it('sends a number nobody holds a real code, makes it a member, and asks for a first name before /account', async () => {
    const api = apiClient(apps[strategy].url);
    const { typed, e164 } = newNumber();
    const verified = await signIn(api, typed, e164);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'signed_in', user: { phone: e164, first_name: null }, redirectTo: '/welcome' });
    const rows = await usersWithPhone(e164);
    expect(rows).toEqual([
      { id: verified.body.user.id, phone: e164, status: 'active', role: LOCAL_STACK.directus.memberRoleId, first_name: null },
    ]);

    for (const page of ['/account', '/members']) {
      const response = await api.get(page);
      expect(response.status).toBe(307);
      expect(response.headers.get('location')).toBe(`/welcome?next=${encodeURIComponent(page)}`);
    }
    expect((await api.get('/welcome')).status).toBe(200);

    const saved = await api.post('/api/auth/first-name', { firstName: ' Grace ' });
    expect(saved).toMatchObject({ status: 200, body: { status: 'saved', user: { first_name: 'Grace' }, redirectTo: '/account' } });
    expect((await usersWithPhone(e164))[0]?.first_name).toBe('Grace');
    const account = await api.get('/account');
    expect(account.status).toBe(200);
    expect(String(account.body)).toContain('Hello, Grace');
    // The step is over: /welcome sends them on.
    expect((await api.get('/welcome')).headers.get('location')).toBe('/account');
  });

  it('refuses an empty first name with a clear error, and anyone signed out', async () => {
    const api = apiClient(apps[strategy].url);
    const { typed, e164 } = newNumber();
    await signIn(api, typed, e164);
    for (const firstName of ['', '  ', 'x'.repeat(51)]) {
      expect(await api.post('/api/auth/first-name', { firstName })).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_first_name', message: expect.stringMatching(/first name/) } },
      });
    }
    expect((await api.post('/api/auth/first-name', { name: 'Grace' })).status).toBe(400);
    expect(await apiClient(apps[strategy].url).post('/api/auth/first-name', { firstName: 'Grace' })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect((await usersWithPhone(e164))[0]?.first_name).toBeNull();
  });

  it('signs the new member in again as a member (one row), still asking for the name until it is given', async () => {
    const { typed, e164 } = newNumber();
    const first = apiClient(apps[strategy].url);
    await signIn(first, typed, e164);
    await first.post('/api/auth/logout');
    await resetLimits(stack.redisUrl); // the resend cooldown
    const again = await signIn(apiClient(apps[strategy].url), typed, e164);
    expect(again).toMatchObject({ status: 200, body: { redirectTo: '/welcome' } });
    expect(await usersWithPhone(e164)).toHaveLength(1);
  });

  it('signs in the member who took the number between the code and its check, creating nobody', async () => {
    const api = apiClient(apps[strategy].url);
    const { typed, e164 } = newNumber();
    expect((await api.post('/api/auth/start', { phone: typed, country: 'GB' })).status).toBe(200);
    const id = await createUser({ phone: e164, first_name: 'Ada' });
    const verified = await api.post('/api/auth/verify', { code: await emulator.latestCode(e164) });
    expect(verified).toMatchObject({ status: 200, body: { user: { id, first_name: 'Ada' }, redirectTo: '/account' } });
    expect(await usersWithPhone(e164)).toHaveLength(1);
  });

  it('answers a member and a newcomer alike: status, body shape and cookie size', async () => {
    const { typed } = newNumber();
    const [member, newcomer] = [apiClient(apps[strategy].url), apiClient(apps[strategy].url)];
    const answers = [
      await member.post('/api/auth/start', { phone: '07400 123456', country: 'GB' }),
      await newcomer.post('/api/auth/start', { phone: typed, country: 'GB' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => Object.keys(a.body).sort())).toEqual([
      Object.keys(answers[0]!.body).sort(),
      Object.keys(answers[0]!.body).sort(),
    ]);
    expect(answers[1]!.body).toMatchObject({ ...answers[0]!.body, phone: expect.any(String) });
    expect(newcomer.cookie?.length).toBe(member.cookie?.length);
  });

  it('sends nothing to a number a suspended user holds', async () => {
    const { typed, e164 } = newNumber();
    await createUser({ phone: e164, status: 'suspended' });
    expect((await apiClient(apps[strategy].url).post('/api/auth/start', { phone: typed, country: 'GB' })).status).toBe(200);
    expect(await emulator.sessions(e164)).toEqual([]);
  });

  it('creates one member when two browsers verify the same new number at once', async () => {
    const { typed, e164 } = newNumber();
    const [a, b] = [
      apiClient(apps[strategy].url, { headers: { 'X-Forwarded-For': '198.51.100.1' } }),
      apiClient(apps[strategy].url, { headers: { 'X-Forwarded-For': '198.51.100.2' } }),
    ];
    expect((await a.post('/api/auth/start', { phone: typed, country: 'GB' })).status).toBe(200);
    await resetLimits(stack.redisUrl);
    expect((await b.post('/api/auth/start', { phone: typed, country: 'GB' })).status).toBe(200);
    const code = await emulator.latestCode(e164);
    const replies = await Promise.all([a.post('/api/auth/verify', { code }), b.post('/api/auth/verify', { code })]);
    // The same code (Plivo resends it within its lifetime) signs in once.
    expect(replies.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(await usersWithPhone(e164)).toHaveLength(1);
  });
});

describe('SIGN_UP closed (the default)', () => {
  it('sends a number nobody holds no code and creates nobody', async () => {
    const api = apiClient(stack.appUrl);
    const { typed, e164 } = newNumber();
    expect((await api.post('/api/auth/start', { phone: typed, country: 'GB' })).status).toBe(200);
    expect(await emulator.sessions(e164)).toEqual([]);
    expect((await api.post('/api/auth/verify', { code: '123456' })).body).toMatchObject({ error: { code: 'invalid_code' } });
    expect(await usersWithPhone(e164)).toEqual([]);
  });
});

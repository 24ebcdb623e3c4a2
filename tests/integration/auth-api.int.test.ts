import { beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { parseEnv } from '@/lib/server/env';
import { sessionSealer } from '@/lib/server/session/seal';
import { directusStatusFor, endInDirectus } from '../support/directus';
import { emulatorControl, wrongCodeFor } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { credentialIn } from '../support/session';
import { apiClient } from './api-client';

const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember;
const UNKNOWN = '+447400999888';

const credentialInCookie = (cookie: string | undefined) =>
  credentialIn(cookie?.split('=').slice(1).join('='), stack.appEnv.SESSION_SECRET!);

async function signIn(api = apiClient(stack.appUrl)) {
  await resetLimits(stack.redisUrl);
  expect((await api.post('/api/auth/start', { phone: ADA.phone })).status).toBe(200);
  const verified = await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA.phone) });
  expect(verified.status).toBe(200);
  return api;
}

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

// The same contract for both credential strategies.
describe.each([
  ['session', stack.appUrl],
  ['static', stack.staticAppUrl],
] as const)('sign-in (%s strategy)', (strategy, appUrl) => {
  it('signs the demo member in: code sent, wrong code counted, right code accepted', async () => {
    const api = apiClient(appUrl);
    const start = await api.post('/api/auth/start', { phone: '07400 123456', country: 'GB' });
    expect(start.status).toBe(200);
    expect(start.body).toEqual({ status: 'code_sent', phone: '+44 7400 123456', channel: 'sms', resendAfter: 3, expiresIn: 600 });
    const setCookie = start.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-sms-sign-in=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(JSON.stringify(start.body)).not.toMatch(/session_uuid|sessionUuid/);

    const code = await emulator.latestCode(ADA.phone);
    const wrong = await api.post('/api/auth/verify', { code: wrongCodeFor(code) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_code', attemptsLeft: 4 });

    const right = await api.post('/api/auth/verify', { code });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({
      status: 'signed_in',
      user: { id: expect.any(String), first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: ADA.phone },
      redirectTo: '/account',
    });
    expect(JSON.stringify(right.body)).not.toContain((await credentialInCookie(api.cookie))!);

    const session = await api.get('/api/auth/session');
    expect(session.body).toMatchObject({ signedIn: true, user: { first_name: 'Ada' } });
  });

  it('gives an unknown number the same answer and cookie size, sends nothing, and never signs it in', async () => {
    const known = await apiClient(appUrl).post('/api/auth/start', { phone: ADA.phone });
    const api = apiClient(appUrl);
    const unknown = await api.post('/api/auth/start', { phone: UNKNOWN });
    expect(unknown.status).toBe(known.status);
    expect({ ...unknown.body, phone: null }).toEqual({ ...known.body, phone: null });
    expect(unknown.headers.get('set-cookie')!.length).toBe(known.headers.get('set-cookie')!.length);
    expect(await emulator.sessions(UNKNOWN)).toEqual([]);

    const guess = await api.post('/api/auth/verify', { code: '123456' });
    expect(guess.status).toBe(400);
    expect(guess.body.error).toMatchObject({ code: 'invalid_code', attemptsLeft: 4 });
  });

  it('gives an unknown number the same pages and cookie size through plain form posts: start, resend, a wrong code', async () => {
    const post = (api: ReturnType<typeof apiClient>, fields: Record<string, string>) =>
      api.request('POST', '/api/auth/form', {
        raw: new URLSearchParams(fields).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      });
    const walk = async (phone: string, wrongCode: () => Promise<string>) => {
      const api = apiClient(appUrl);
      const start = await post(api, { intent: 'start', country: 'GB', phone });
      await resetLimits(stack.redisUrl); // past the resend cooldown
      const resend = await post(api, { intent: 'sms' });
      const verify = await post(api, { intent: 'verify', code: await wrongCode() });
      return [start, resend, verify].map((answer) => ({
        status: answer.status,
        page: answer.headers.get('location'),
        cookieLength: answer.headers.get('set-cookie')?.length ?? 0,
      }));
    };
    const wrongForAda = async () => wrongCodeFor(await emulator.latestCode(ADA.phone));
    const member = await walk(ADA.phone, wrongForAda);
    await resetLimits(stack.redisUrl);
    const stranger = await walk(UNKNOWN, wrongForAda);
    expect(stranger).toEqual(member);
    expect(member.map((answer) => [answer.status, answer.page])).toEqual([
      [303, '/login'],
      [303, '/login?resent=1'],
      [303, '/login?error=invalid_code&attemptsLeft=4'],
    ]);
    expect(await emulator.sessions(UNKNOWN)).toEqual([]);
  });

  it('refuses a resend before resendAfter, with Retry-After', async () => {
    const api = apiClient(appUrl);
    await api.post('/api/auth/start', { phone: ADA.phone });
    const resend = await api.post('/api/auth/resend', { channel: 'voice' });
    expect(resend.status).toBe(429);
    expect(resend.body.error.code).toBe('rate_limited');
    expect(Number(resend.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(resend.body.error.retryAfter).toBe(Number(resend.headers.get('retry-after')));
  });

  it('answers code_expired once Plivo has expired the code', async () => {
    const api = apiClient(appUrl);
    await api.post('/api/auth/start', { phone: ADA.phone });
    const code = await emulator.latestCode(ADA.phone);
    await emulator.advanceClock(601);
    const late = await api.post('/api/auth/verify', { code });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('code_expired');
    expect((await api.post('/api/auth/verify', { code })).body.error.code).toBe('no_pending_verification');
  });

  it('signs out: the credential is revoked in Directus and the cookie cleared', async () => {
    const api = await signIn(apiClient(appUrl));
    const token = await credentialInCookie(api.cookie);
    expect(await directusStatusFor(stack.directusUrl, token!)).toBe(200);
    const out = await api.post('/api/auth/logout', {});
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ status: 'signed_out' });
    expect(api.cookie).toBeUndefined();
    expect(await directusStatusFor(stack.directusUrl, token!)).toBe(401);
  });

  it('ends the session when Directus no longer accepts the credential', async () => {
    const first = await signIn(apiClient(appUrl));
    if (strategy === 'static') {
      await signIn(apiClient(appUrl)); // one credential per member: a second sign-in replaces the first
    } else {
      await endInDirectus(stack.directusUrl, (await credentialInCookie(first.cookie))!);
    }
    const session = await first.get('/api/auth/session');
    expect(session.body).toEqual({ signedIn: false });
    expect(first.cookie).toBeUndefined();
  });

  it('reads a cookie sealed with another secret as signed out', async () => {
    const api = await signIn(apiClient(appUrl));
    const name = api.cookie!.split('=')[0];
    const foreign = await sessionSealer(parseEnv({ SESSION_SECRET: 'another-deployment-secret-0123456789abcdef' })).seal({
      user: {
        id: 'someone',
        signedInAt: Date.now(),
        credential: { strategy: 'session', token: 'forged-credential', expiresAt: Date.now() + 60_000, refreshAt: Date.now() + 30_000 },
      },
    });
    api.cookie = `${name}=${foreign}`;
    expect((await api.get('/api/auth/session')).body).toEqual({ signedIn: false });
  });

  it('reads a tampered cookie as signed out', async () => {
    const api = await signIn(apiClient(appUrl));
    api.cookie = api.cookie!.replace(/.{8}$/, 'AAAAAAAA');
    expect((await api.get('/api/auth/session')).body).toEqual({ signedIn: false });
    expect((await api.post('/api/auth/verify', { code: '123456' })).body.error.code).toBe('no_pending_verification');
  });
});

describe('bad requests', () => {
  it.each([
    ['a landline', { phone: '020 7946 0000', country: 'GB' }, 400, 'invalid_phone'],
    ['letters', { phone: 'call me maybe' }, 400, 'invalid_phone'],
    ['no phone', {}, 400, 'invalid_request'],
    ['a number as phone', { phone: 447400123456 }, 400, 'invalid_request'],
    ['a bad country', { phone: '07400123456', country: 'Britain' }, 400, 'invalid_request'],
  ])('start with %s → %i %s', async (_label, body, status, code) => {
    const response = await apiClient(stack.appUrl).post('/api/auth/start', body);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('refuses malformed JSON, a foreign Origin and a non-JSON content type', async () => {
    const api = apiClient(stack.appUrl);
    const malformed = await api.request('POST', '/api/auth/start', { raw: '{"phone":' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_request']);
    const foreign = await api.post('/api/auth/start', { phone: ADA.phone }, { Origin: 'https://evil.example' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'forbidden_origin']);
    const form = await api.request('POST', '/api/auth/start', {
      raw: 'phone=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect([form.status, form.body.error.code]).toEqual([403, 'forbidden_origin']);
    const crossSite = await api.post('/api/auth/start', { phone: ADA.phone }, { 'Sec-Fetch-Site': 'cross-site' });
    expect([crossSite.status, crossSite.body.error.code]).toEqual([403, 'forbidden_origin']);
    const noOrigin = await api.request('POST', '/api/auth/logout', { body: {}, headers: { Origin: 'null' } });
    expect([noOrigin.status, noOrigin.body.error.code]).toEqual([403, 'forbidden_origin']);
    expect(await emulator.sessions(ADA.phone)).toEqual([]);
  });

  it('refuses resend and verify with nothing pending', async () => {
    const api = apiClient(stack.appUrl);
    expect((await api.post('/api/auth/resend', {})).status).toBe(409);
    expect((await api.post('/api/auth/verify', { code: '123456' })).body.error.code).toBe('no_pending_verification');
  });
});

describe('upstream failures', () => {
  it.each([
    ['a 5xx', { kind: 'status', status: 503 }],
    ['a hang past the timeout', { kind: 'hang' }],
    ['malformed JSON', { kind: 'malformed' }],
  ] as const)('Plivo answering with %s gives 503, and a clean retry after', async (_label, fault) => {
    const api = apiClient(stack.appUrl);
    await emulator.fault({ endpoint: 'create', times: 1, ...fault });
    const started = Date.now();
    const failed = await api.post('/api/auth/start', { phone: ADA.phone });
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('upstream_unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
    await signIn(api);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startEmulator, type RunningEmulator } from '../../dev/plivo-emulator/server';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { emulatorControl, wrongCodeFor } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { apiClient } from './api-client';

// The findings of an adversarial review, each replayed against the real stack: races on the
// attempt counters, an expiry oracle, lockouts by strangers, budget drain, forged addresses,
// replays and stale cookies. Instances of their own where a test needs other settings.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const STRANGER = '+447400999888';

/** No resend cooldown, so a test can start one number again at once. */
let quick: AppInstance;
/** An SMS budget of two an hour. */
let frugal: AppInstance;
/** Clients reach the app directly (TRUST_PROXY=direct) and may send three codes an hour. */
let direct: AppInstance;

beforeAll(async () => {
  const base = { ...stack.appEnv, OTP_RESEND_AFTER_SECONDS: '0' };
  [quick, frugal, direct] = await Promise.all([
    startApp(TEST_PORTS.app + 5, base),
    startApp(TEST_PORTS.app + 6, { ...base, LIMIT_SMS_PER_HOUR: '2', LIMIT_SENDS_PER_IP_HOUR: '100' }),
    startApp(TEST_PORTS.app + 7, { ...base, TRUST_PROXY: 'direct', LIMIT_SENDS_PER_IP_HOUR: '3' }),
  ]);
});

afterAll(async () => {
  await Promise.all([quick?.stop(), frugal?.stop(), direct?.stop()]);
});

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

let ipCounter = 0;
/** A client with an address of its own (the instances trust one proxy hop: this test). */
const client = (instance: AppInstance | string, ip = `198.51.100.${++ipCounter % 250}`) =>
  apiClient(typeof instance === 'string' ? instance : instance.url, { headers: { 'X-Forwarded-For': ip } });

const validationsOf = async (phone: string) => (await emulator.sessions(phone))[0]?.validations;

describe('attempts under parallel requests', () => {
  it('lets 5 of 20 parallel wrong codes reach Plivo, and refuses the right code after them', async () => {
    const api = client(quick);
    await api.post('/api/auth/start', { phone: ADA });
    const pending = api.cookie;
    const code = await emulator.latestCode(ADA);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        apiClient(quick.url, { headers: { 'X-Forwarded-For': '198.51.100.200', Cookie: pending! } }).post('/api/auth/verify', {
          code: wrongCodeFor(code),
        }),
      ),
    );
    expect(answers.every((answer) => answer.status === 400 || answer.status === 429)).toBe(true);
    expect(answers.filter((answer) => answer.status === 400).length).toBeLessThanOrEqual(4);
    const right = await apiClient(quick.url, { headers: { 'X-Forwarded-For': '198.51.100.200', Cookie: pending! } }).post(
      '/api/auth/verify',
      { code },
    );
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('too_many_attempts');
    expect(await validationsOf(ADA)).toBe(5);
  });

  it('holds one code to exactly 10 checks across clients, and to 5 for cookies of one client', async () => {
    const sameClient = Array.from({ length: 2 }, () => client(quick, '198.51.100.201'));
    for (const api of sameClient) expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    const code = await emulator.latestCode(ADA);
    // Each cookie tries as many as one client may, all at once.
    const burst = (apis: ReturnType<typeof client>[]) =>
      Promise.all(apis.flatMap((api) => Array.from({ length: 5 }, () => api.post('/api/auth/verify', { code: wrongCodeFor(code) }))));
    await burst(sameClient);
    expect(await validationsOf(ADA)).toBe(5);

    const others = Array.from({ length: 2 }, () => client(quick));
    for (const api of others) expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    await burst(others);
    expect(await validationsOf(ADA)).toBe(10);
    // The code is used up for everyone: a new start sends nothing until it dies.
    const late = await client(quick).post('/api/auth/start', { phone: ADA });
    expect(late.status).toBe(429);
    expect(late.body.error.code).toBe('rate_limited');
    expect(late.body.error.retryAfter).toBeGreaterThan(500);
  });
});

describe('no lockout by strangers', () => {
  it('after a stranger’s 10 wrong codes on two verifications, the owner’s fresh code signs in', async () => {
    const attacker = client(quick, '203.0.113.66');
    const answers = [];
    for (let round = 0; round < 2; round++) {
      await attacker.post('/api/auth/start', { phone: ADA });
      const code = await emulator.latestCode(ADA);
      for (let i = 0; i < 5; i++) answers.push((await attacker.post('/api/auth/verify', { code: wrongCodeFor(code) })).body.error.code);
    }
    expect(answers.slice(0, 5)).toEqual(['invalid_code', 'invalid_code', 'invalid_code', 'invalid_code', 'too_many_attempts']);
    expect(answers.slice(5).every((code) => code === 'no_pending_verification' || code === 'too_many_attempts')).toBe(true);

    const owner = client(quick, '198.51.100.77');
    expect((await owner.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    const signedIn = await owner.post('/api/auth/verify', { code: await emulator.latestCode(ADA) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.status).toBe('signed_in');
  });
});

describe('the SMS budget', () => {
  it('is untouched by 1,000 starts to numbers nobody owns, and refuses everyone alike once spent', async () => {
    const starts = Array.from({ length: 1000 }, (_, i) => ({
      phone: `+4474009${String(i).padStart(5, '0')}`,
      ip: `198.18.${Math.floor(i / 50)}.${i % 50}`,
    }));
    for (let i = 0; i < starts.length; i += 50) {
      const batch = await Promise.all(
        starts.slice(i, i + 50).map(({ phone, ip }) => client(frugal, ip).post('/api/auth/start', { phone })),
      );
      expect(batch.every((answer) => answer.status === 200)).toBe(true);
    }
    // Both real sends of the two-an-hour budget are still there; then it refuses member and stranger.
    for (let i = 0; i < 2; i++) expect((await client(frugal).post('/api/auth/start', { phone: ADA })).status).toBe(200);
    for (const phone of [ADA, STRANGER]) {
      const refused = await client(frugal).post('/api/auth/start', { phone });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
    }
  }, 120_000); // a thousand starts: CPU-bound
});

describe('client addresses', () => {
  it('with TRUST_PROXY=direct, a client cannot dodge per-address limits by writing X-Forwarded-For', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const forged = apiClient(direct.url, { headers: { 'X-Forwarded-For': `203.0.113.${i + 1}` } });
      statuses.push((await forged.post('/api/auth/start', { phone: `+4474008${String(i).padStart(5, '0')}` })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('with a proxy hop trusted, what a client writes left of the proxy’s entry does not count', async () => {
    const statuses = [];
    for (let i = 0; i < 21; i++) {
      const forged = apiClient(quick.url, { headers: { 'X-Forwarded-For': `203.0.113.${i + 1}, 198.51.100.250` } });
      statuses.push((await forged.post('/api/auth/start', { phone: `+4474007${String(i).padStart(5, '0')}` })).status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses[20]).toBe(429);
  });
});

describe('sessions', () => {
  async function signIn(ip: string) {
    const api = client(stack.appUrl, ip);
    await api.post('/api/auth/start', { phone: ADA });
    expect((await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA) })).status).toBe(200);
    await resetLimits(stack.redisUrl);
    return api;
  }

  it('a stale cookie’s logout leaves the device that signed in later signed in', async () => {
    const first = await signIn('198.51.100.31');
    const second = await signIn('198.51.100.32');
    expect((await first.post('/api/auth/logout', {})).status).toBe(200);
    expect((await second.get('/api/auth/session')).body).toMatchObject({ signedIn: true, user: { phone: ADA } });
  });

  it.each([
    ['Arabic-Indic', 0x0660],
    ['Persian', 0x06f0],
    ['Devanagari', 0x0966],
    ['fullwidth', 0xff10],
  ])('signs in with a code typed in %s digits', async (_script, zero) => {
    const api = client(quick);
    await api.post('/api/auth/start', { phone: ADA });
    const code = await emulator.latestCode(ADA);
    const typed = [...code].map((digit) => String.fromCodePoint(zero + Number(digit))).join('');
    const answer = await api.post('/api/auth/verify', { code: typed });
    expect(answer.status).toBe(200);
  });
});

describe('one code lifetime for members and strangers', () => {
  const LIFETIME = 20;
  let shortEmulator: RunningEmulator;
  let short: AppInstance;

  beforeAll(async () => {
    shortEmulator = await startEmulator({
      port: TEST_PORTS.emulator + 5,
      authId: LOCAL_STACK.plivo.authId,
      authToken: LOCAL_STACK.plivo.authToken,
      appUuid: LOCAL_STACK.plivo.appUuid,
      expirySeconds: LIFETIME,
    });
    short = await startApp(TEST_PORTS.app + 8, {
      ...stack.appEnv,
      PLIVO_API_URL: shortEmulator.url,
      OTP_EXPIRY_SECONDS: String(LIFETIME),
      OTP_RESEND_AFTER_SECONDS: '0',
    });
  });

  afterAll(async () => {
    await short?.stop();
    await shortEmulator?.close();
  });

  it('a repeat start keeps the first one’s expiry, so members and strangers expire alike', async () => {
    const first = await Promise.all([ADA, STRANGER].map((phone) => client(short).post('/api/auth/start', { phone })));
    expect(first.map((answer) => answer.body.expiresIn)).toEqual([LIFETIME, LIFETIME]);
    await sleep(3_000);
    const again = [ADA, STRANGER].map(() => client(short));
    const repeated = await Promise.all(again.map((api, i) => api.post('/api/auth/start', { phone: [ADA, STRANGER][i] })));
    expect(repeated.map((answer) => answer.body.expiresIn)).toEqual([LIFETIME - 3, LIFETIME - 3]);
    await sleep((LIFETIME - 3) * 1000 + 500);
    const late = await Promise.all(again.map((api) => api.post('/api/auth/verify', { code: '123456' })));
    expect(late.map((answer) => [answer.status, answer.body.error.code])).toEqual([
      [410, 'code_expired'],
      [410, 'code_expired'],
    ]);
  }, 40_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { startLocalDirectus, type LocalDirectus } from '../../dev/directus/index';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { extensionSettings } from '../support/directus';
import { emulatorControl, wrongCodeFor } from '../support/emulator';
import { keysWithoutExpiry, resetLimits } from '../support/limits';
import { apiClient, type ApiResponse } from './api-client';

// TEST_PHONE_NUMBERS through the real app: instances where the demo member's number is a test
// number, beside the stack's instance where it is an ordinary one, so the two can be compared.
// The `session` strategy's extension must be told too (SMS_SIGN_IN_TEST_PHONE_NUMBERS), so that
// instance has a Directus of its own; the `static` one uses the stack's.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const FIXED_CODE = '135790';
const TEST_PHONE_NUMBERS = `${ADA}=${FIXED_CODE}`;
const dataDir = mkdtempSync(join(tmpdir(), 'test-numbers-'));
let directus: LocalDirectus;
let testApp: AppInstance;
let staticTestApp: AppInstance;
/** A static instance whose test number's code has a budget of three wrong codes. */
let budgetApp: AppInstance;
const BUDGET = 3;

beforeAll(async () => {
  directus = await startLocalDirectus({
    port: TEST_PORTS.directus + 7,
    dataDir,
    fresh: true,
    log: () => undefined,
    ...extensionSettings(stack, { SMS_SIGN_IN_TEST_PHONE_NUMBERS: ADA }),
  });
  // One after the other, so that afterAll stops the first even when the second fails to start.
  testApp = await startApp(TEST_PORTS.app + 7, { ...stack.appEnv, DIRECTUS_URL: directus.url, TEST_PHONE_NUMBERS });
  staticTestApp = await startApp(TEST_PORTS.app + 8, { ...stack.appEnv, ...stack.staticEnv, TEST_PHONE_NUMBERS });
  budgetApp = await startApp(TEST_PORTS.app + 22, {
    ...stack.appEnv,
    ...stack.staticEnv,
    TEST_PHONE_NUMBERS,
    TEST_PHONE_NUMBERS_MAX_WRONG_CODES: String(BUDGET),
  });
}, 180_000);
afterAll(async () => {
  await Promise.all([testApp?.stop(), staticTestApp?.stop(), budgetApp?.stop()]);
  await directus?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});
// Test numbers' sessions and budgets too must leave Redis on their own (redis-keys.int.test.ts).
afterEach(async () => {
  expect(await keysWithoutExpiry(stack.redisUrl)).toEqual([]);
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cookieSize = (api: ReturnType<typeof apiClient>) => api.cookie?.length;
/** What a person (or an observer) can see of an answer. */
const shape = (response: ApiResponse) => ({
  status: response.status,
  keys: Object.keys(response.body).sort(),
  error: response.body.error && Object.keys(response.body.error).sort(),
});

describe('a test number', () => {
  it('signs in with its fixed code, and Plivo never hears of it', async () => {
    const api = apiClient(testApp.url);
    const started = await api.post('/api/auth/start', { phone: ADA });
    expect(started.body).toEqual({ status: 'code_sent', phone: '+44 7400 123456', channel: 'sms', resendAfter: 3, expiresIn: 600 });
    const signedIn = await api.post('/api/auth/verify', { code: FIXED_CODE });
    expect([signedIn.status, signedIn.body.user.first_name]).toEqual([200, 'Ada']);
    expect((await api.get('/api/auth/session')).body.signedIn).toBe(true);
    expect(await emulator.sessions(ADA)).toEqual([]);
  });

  it('signs in with the static strategy too', async () => {
    const api = apiClient(staticTestApp.url);
    await api.post('/api/auth/start', { phone: ADA });
    expect((await api.post('/api/auth/verify', { code: FIXED_CODE })).body.user.first_name).toBe('Ada');
    expect(await emulator.sessions(ADA)).toEqual([]);
  });

  it('counts wrong codes exactly as a real number does, up to too_many_attempts', async () => {
    const real = apiClient(stack.appUrl);
    const test = apiClient(testApp.url);
    await real.post('/api/auth/start', { phone: ADA });
    const wrong = wrongCodeFor(await emulator.latestCode(ADA));
    const realAnswers = [];
    for (let i = 0; i < 5; i++) realAnswers.push((await real.post('/api/auth/verify', { code: wrong })).body);

    await resetLimits(stack.redisUrl);
    await test.post('/api/auth/start', { phone: ADA });
    const testAnswers = [];
    for (let i = 0; i < 5; i++) testAnswers.push((await test.post('/api/auth/verify', { code: wrongCodeFor(FIXED_CODE) })).body);
    const comparable = (body: { error: { code: string; attemptsLeft?: number; retryAfter?: number } }) => ({
      ...body.error,
      retryAfter: body.error.retryAfter && 'set',
    });
    expect(testAnswers.map(comparable)).toEqual(realAnswers.map(comparable));
    expect(testAnswers.at(-1).error.code).toBe('too_many_attempts');
    // The code is over for this client, as for a real number: even the right one is refused.
    expect((await test.post('/api/auth/verify', { code: FIXED_CODE })).body.error.code).toBe('no_pending_verification');
  });

  it('is held to the same limits and answers in the same shapes and cookie size as a real number', async () => {
    const real = apiClient(stack.appUrl);
    const test = apiClient(testApp.url);
    const realStart = await real.post('/api/auth/start', { phone: ADA });
    await resetLimits(stack.redisUrl);
    const testStart = await test.post('/api/auth/start', { phone: ADA });
    expect(shape(testStart)).toEqual(shape(realStart));
    expect(cookieSize(test)).toBe(cookieSize(real));

    const cooldown = await test.post('/api/auth/start', { phone: ADA });
    expect([cooldown.status, cooldown.body.error.code]).toEqual([429, 'rate_limited']);
    expect(cooldown.headers.get('retry-after')).toMatch(/^[1-3]$/);
    await pause(3_100);
    const resent = await test.post('/api/auth/resend', { channel: 'voice' });
    expect(resent.body).toMatchObject({ status: 'code_sent', channel: 'voice' });
    expect(await emulator.sessions(ADA)).toEqual([expect.objectContaining({ deliveries: 1 })]); // the real instance's one send
  });

  it("shows on the code screen what members' deliveries show, as an imitated delivery", async () => {
    const deliveredWithin10s = async (api: ReturnType<typeof apiClient>) => {
      const deadline = Date.now() + 10_000;
      let delivery = '';
      while (delivery !== 'delivered' && Date.now() < deadline) {
        delivery = (await api.get('/api/auth/delivery')).body.delivery;
        expect(['sending', 'sent', 'delivered']).toContain(delivery);
        await pause(200);
      }
      return delivery;
    };
    // Members' texts on the main instance, learned in the Redis both instances share.
    for (let i = 0; i < 5; i++) {
      await resetLimits(stack.redisUrl, { keepDeliveries: true });
      const member = apiClient(stack.appUrl);
      await member.post('/api/auth/start', { phone: ADA });
      expect(await deliveredWithin10s(member)).toBe('delivered');
    }
    await resetLimits(stack.redisUrl, { keepDeliveries: true }); // the last member's start would hold the number's cooldown
    const test = apiClient(testApp.url);
    expect((await test.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    expect(await deliveredWithin10s(test)).toBe('delivered');
  });

  it('signs in no more once its code has had its budget of wrong codes, and the log says so once', async () => {
    const api = apiClient(budgetApp.url);
    await api.post('/api/auth/start', { phone: ADA });
    for (let i = 0; i < BUDGET; i++)
      expect((await api.post('/api/auth/verify', { code: wrongCodeFor(FIXED_CODE) })).body.error.code).toBe('invalid_code');
    // The right code now fails exactly as a wrong one does.
    const refused = await api.post('/api/auth/verify', { code: FIXED_CODE });
    expect([refused.status, refused.body.error.code, refused.body.error.attemptsLeft]).toEqual([400, 'invalid_code', 5 - BUDGET - 1]);
    const said = budgetApp.logs.filter((line) => line.includes('wrong codes and signs in no more'));
    expect(said).toEqual([expect.stringContaining(`TEST_PHONE_NUMBERS: +44******456 has had ${BUDGET} wrong codes`)]);
    expect(budgetApp.logs.join('\n')).not.toMatch(new RegExp(`7400123456|${FIXED_CODE}`));
  });

  it('is announced once at boot, masked, without its code', () => {
    const warnings = testApp.logs.filter((line) => line.includes('TEST_PHONE_NUMBERS'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('+44******456');
    expect(testApp.logs.join('\n')).not.toMatch(new RegExp(`7400123456|${FIXED_CODE}`));
  });
});

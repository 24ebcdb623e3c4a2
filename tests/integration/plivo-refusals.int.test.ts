import { beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { emulatorControl } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { apiClient, type ApiResponse } from './api-client';

// Each refusal Plivo documents for create and validate, through the app, for a member and for a
// number nobody owns, which never reaches Plivo and must be answered alike.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const STRANGER = '+447400999888';

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

const start = (phone: string) => apiClient(stack.appUrl).post('/api/auth/start', { phone });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seen = (response: ApiResponse) => ({ status: response.status, body: response.body, retryAfter: response.headers.get('retry-after') });

describe('Plivo refusing a create', () => {
  it.each([
    ['a geo refusal', 'geo', 403, 'country_not_allowed'],
    ["Plivo's own rate limit", 'rate_limit', 429, 'rate_limited'],
  ] as const)('%s gives %i %s, to the member and then to a stranger of that country', async (_label, refuse, status, code) => {
    await emulator.recipientRule({ recipient: '+44', refuse });
    const member = await start(ADA);
    expect(member.status).toBe(status);
    expect(member.body.error.code).toBe(code);
    expect(seen(await start(STRANGER))).toEqual(seen(member));
    if (code === 'rate_limited') expect(member.body.error.retryAfter).toBe(60);
    expect(await emulator.sessions(ADA)).toEqual([]);
  });

  it('a geo refusal holds for that country only', async () => {
    await emulator.recipientRule({ recipient: '+44', refuse: 'geo' });
    expect((await start(ADA)).status).toBe(403);
    expect((await start('+353851234567')).status).toBe(200); // a stranger in Ireland
  });

  it('a number Plivo finds invalid gives 400 invalid_phone', async () => {
    await emulator.recipientRule({ recipient: ADA, refuse: 'invalid' });
    const member = await start(ADA);
    expect([member.status, member.body.error.code]).toEqual([400, 'invalid_phone']);
  });

  it("the delivery cap of a number's session gives 429 rate_limited until that session ends", async () => {
    await emulator.recipientRule({ recipient: ADA, maxAttempts: 1 });
    const api = apiClient(stack.appUrl);
    expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    await pause(3_100); // the stack's resend cooldown
    const resend = await api.post('/api/auth/resend', { channel: 'voice' });
    expect([resend.status, resend.body.error.code]).toEqual([429, 'rate_limited']);
    expect(resend.body.error.retryAfter).toBeGreaterThan(590);
    expect(resend.body.error.retryAfter).toBeLessThanOrEqual(597);
    expect(resend.headers.get('retry-after')).toBe(String(resend.body.error.retryAfter));
  });
});

describe('an outage looks the same for everyone', () => {
  it('member and stranger both get 503 after as long, and both recover together', async () => {
    await emulator.fault({ endpoint: 'create', kind: 'status', status: 503, ms: 400 });
    const timed = async (phone: string) => {
      const started = performance.now();
      const response = await start(phone);
      return { response, ms: performance.now() - started };
    };
    const member = await timed(ADA);
    const stranger = await timed(STRANGER);
    expect(member.response.status).toBe(503);
    expect(member.response.body.error.code).toBe('upstream_unavailable');
    expect(seen(stranger.response)).toEqual(seen(member.response));
    expect(stranger.ms).toBeGreaterThanOrEqual(390); // the stranger waits as long as the member's slow failure
    console.info(`outage: member ${member.ms.toFixed(0)} ms, stranger ${stranger.ms.toFixed(0)} ms`);

    await emulator.clearFaults();
    await pause(3_100); // the member's resend cooldown
    expect((await start(ADA)).status).toBe(200); // members' calls keep trying, and end the outage
    expect((await start(STRANGER)).status).toBe(200);
  });

  it("a failing check refuses a stranger's check too", async () => {
    const member = apiClient(stack.appUrl);
    const stranger = apiClient(stack.appUrl);
    expect((await member.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    expect((await stranger.post('/api/auth/start', { phone: STRANGER })).status).toBe(200);
    await emulator.fault({ endpoint: 'validate', kind: 'hang' });
    const failed = await member.post('/api/auth/verify', { code: '000000' });
    expect([failed.status, failed.body.error.code]).toEqual([503, 'upstream_unavailable']);
    expect(seen(await stranger.post('/api/auth/verify', { code: '000000' }))).toEqual(seen(failed));
  });
});

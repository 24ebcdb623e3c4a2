import { setTimeout as sleep } from 'node:timers/promises';

import { beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { emulatorControl, wrongCodeFor } from '../support/emulator';
import { keyLifetimes, resetLimits } from '../support/limits';
import { apiClient } from './api-client';

// Redis has no bound of its own here: a key written without a lifetime would stay until someone
// deletes it by hand. So every key the sign-in writes (counters, code windows, the used-code
// ledger, delivery records and report nonces, the provider's refusals) must expire; refresh
// results and locks are checked where refreshes happen (sessions.int.test.ts), test numbers'
// records in test-numbers.int.test.ts.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const STRANGER = '+447400999001';
const cooldownMs = Number(stack.appEnv.OTP_RESEND_AFTER_SECONDS) * 1_000 + 100;

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

/** Every key the app left in Redis, each of which must have a lifetime (PTTL > 0). */
async function expectEveryKeyToExpire({ atLeast }: { atLeast: number }) {
  const lifetimes = await keyLifetimes(stack.redisUrl);
  expect(lifetimes.size).toBeGreaterThanOrEqual(atLeast);
  expect([...lifetimes].filter(([, ms]) => !(ms > 0))).toEqual([]);
}

describe('Redis keys', () => {
  it('all expire, after members and strangers start, resend, guess, sign in and sign out, and after a provider outage', async () => {
    const member = apiClient(stack.appUrl, { headers: { 'X-Forwarded-For': '198.51.100.61' } });
    const stranger = apiClient(stack.appUrl, { headers: { 'X-Forwarded-For': '2001:db8:61::1' } });

    // An outage remembered for strangers (a provider refusal), then ended by the member's next call.
    await emulator.fault({ endpoint: 'create', kind: 'status', status: 503, times: 1 });
    expect((await member.post('/api/auth/start', { phone: ADA })).status).toBe(503);
    await expectEveryKeyToExpire({ atLeast: 1 });
    await sleep(cooldownMs); // the failed start counted against the number's cooldown

    expect((await member.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    expect((await stranger.post('/api/auth/start', { phone: STRANGER })).status).toBe(200);
    await sleep(1_500); // the emulator's delivery reports (50 ms to 1 s after the send), with their nonces
    expect((await member.get('/api/auth/delivery')).status).toBe(200);
    expect((await stranger.get('/api/auth/delivery')).status).toBe(200);

    const code = await emulator.latestCode(ADA);
    expect((await member.post('/api/auth/verify', { code: wrongCodeFor(code) })).status).toBe(400);
    expect((await stranger.post('/api/auth/verify', { code: '123456' })).status).toBe(400);
    await sleep(cooldownMs);
    expect((await stranger.post('/api/auth/resend', { channel: 'voice' })).status).toBe(200);
    expect((await member.post('/api/auth/verify', { code })).status).toBe(200);
    expect((await member.post('/api/auth/logout', {})).status).toBe(200);

    await expectEveryKeyToExpire({ atLeast: 12 });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startRedis, type LocalRedis } from '../../dev/stack/redis';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { emulatorControl, wrongCodeFor } from '../support/emulator';
import { apiClient } from './api-client';

// Two instances of the app sharing one real Redis, with the default limits (the resend cooldown
// off, so a test can ask for six codes without waiting 30 s between them).
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const env = (redisUrl: string) => ({
  ...stack.appEnv,
  REDIS_URL: redisUrl,
  OTP_RESEND_AFTER_SECONDS: '0',
  TRUST_PROXY: '1',
  ALLOWED_COUNTRIES: 'GB',
});

let redis: LocalRedis;
let first: AppInstance;
let second: AppInstance;

beforeAll(async () => {
  redis = await startRedis(TEST_PORTS.redis + 1);
  [first, second] = await Promise.all([startApp(TEST_PORTS.app + 1, env(redis.url)), startApp(TEST_PORTS.app + 2, env(redis.url))]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await redis?.stop();
});

beforeEach(async () => {
  await Promise.all([redis.flush(), emulator.reset()]);
});

let ipCounter = 0;
/** A client with an address of its own (the instances trust one proxy hop). */
function client(instance: AppInstance, ip = `198.51.100.${++ipCounter % 250}`) {
  return apiClient(instance.url, { headers: { 'X-Forwarded-For': ip } });
}

describe('limits shared through Redis', () => {
  it('refuses the 6th code for one number in an hour, across both instances', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const response = await client(i % 2 ? second : first).post('/api/auth/start', { phone: ADA });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.body.error.code).toBe('rate_limited');
        expect(response.body.error.retryAfter).toBeGreaterThan(3500);
        expect(response.headers.get('retry-after')).toBe(String(response.body.error.retryAfter));
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await emulator.sessions(ADA))[0]).toBeDefined();
  });

  it('keeps counting across a restart of the app', async () => {
    for (let i = 0; i < 5; i++) expect((await client(first).post('/api/auth/start', { phone: ADA })).status).toBe(200);
    await first.stop();
    first = await startApp(TEST_PORTS.app + 1, env(redis.url));
    expect((await client(first).post('/api/auth/start', { phone: ADA })).status).toBe(429);
  });

  it('limits starts per client address (20 an hour)', async () => {
    const statuses = [];
    for (let i = 0; i < 21; i++) {
      const phone = `+4474009${String(i).padStart(5, '0')}`;
      statuses.push((await client(i % 2 ? second : first, '203.0.113.9').post('/api/auth/start', { phone })).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await client(first, '203.0.113.10').post('/api/auth/start', { phone: '+447400999999' })).status).toBe(200);
  });

  it('counts IPv6 clients by their /64: 26 addresses of one /64 get 20 starts an hour between them', async () => {
    // How one host rotates through its /64, written as proxies and clients may write addresses.
    const address = (i: number) =>
      i % 3 === 0 ? `2001:DB8:7:1::${(i + 1).toString(16)}` : i % 3 === 1 ? `2001:0db8:0007:0001:${i}:0:0:1` : `[2001:db8:7:1:ffff::${i}]`;
    const statuses = [];
    for (let i = 0; i < 26; i++) {
      const phone = `+4474008${String(i).padStart(5, '0')}`;
      statuses.push((await client(i % 2 ? second : first, address(i)).post('/api/auth/start', { phone })).status);
    }
    expect(statuses).toEqual([...Array<number>(20).fill(200), ...Array<number>(6).fill(429)]);
    // The next /64 is another client.
    expect((await client(first, '2001:db8:7:2::1').post('/api/auth/start', { phone: '+447400899999' })).status).toBe(200);
  });

  it('refuses countries outside the allow-list with country_not_allowed', async () => {
    const response = await client(first).post('/api/auth/start', { phone: '+33612345678' });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('country_not_allowed');
  });
});

describe('brute force', () => {
  it('refuses the 6th code of a verification even when it is right', async () => {
    const api = client(first);
    await api.post('/api/auth/start', { phone: ADA });
    const code = await emulator.latestCode(ADA);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await api.post('/api/auth/verify', { code: wrongCodeFor(code) })).body.error);
    expect(answers.map((error) => error.code)).toEqual([
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'too_many_attempts',
    ]);
    expect(answers.map((error) => error.attemptsLeft)).toEqual([4, 3, 2, 1, undefined]);
    const right = await api.post('/api/auth/verify', { code });
    expect(right.status).toBe(409); // the verification is over
  });

  it('refuses the 6th code even when the first cookie is replayed', async () => {
    const api = client(first);
    await api.post('/api/auth/start', { phone: ADA });
    const code = await emulator.latestCode(ADA);
    const pendingCookie = api.cookie;
    for (let i = 0; i < 5; i++) {
      api.cookie = pendingCookie;
      await api.post('/api/auth/verify', { code: wrongCodeFor(code) });
    }
    api.cookie = pendingCookie;
    const right = await api.post('/api/auth/verify', { code });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('too_many_attempts');
  });

  it('sends nothing for a code this client has used up, and earns it no new tries', async () => {
    const api = client(second);
    await api.post('/api/auth/start', { phone: ADA });
    const code = await emulator.latestCode(ADA);
    for (let i = 0; i < 5; i++) await api.post('/api/auth/verify', { code: wrongCodeFor(code) });
    const [before] = await emulator.sessions(ADA);
    const again = await api.post('/api/auth/start', { phone: ADA });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('rate_limited');
    expect(again.body.error.retryAfter).toBeGreaterThan(500);
    expect(await emulator.sessions(ADA)).toEqual([before]);
    expect((await api.post('/api/auth/verify', { code })).status).toBe(409);
  });
});

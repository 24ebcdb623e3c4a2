import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { parseEnv } from '../env';
import { createCodeLedger, createLimiter } from './limits';
import { memoryStore } from './shared-store';

describe('createLimiter and createCodeLedger (memory)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 27) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const storeWith = (vars: Record<string, string> = {}) => {
    const [env, store] = [parseEnv(vars), memoryStore()];
    return { limiter: createLimiter(env, store), codes: createCodeLedger(env, store) };
  };

  it('counts all the hits or none of them', async () => {
    const { limiter } = storeWith({ LIMIT_CODES_PER_PHONE_HOUR: '2', OTP_RESEND_AFTER_SECONDS: '0' });
    const hits = [
      ['sendsPerIp', '203.0.113.7'],
      ['codesPerPhoneHour', '+447400123456'],
    ] as const;
    expect(await limiter.take(hits)).toBeUndefined();
    expect(await limiter.take(hits)).toBeUndefined();
    expect(await limiter.take(hits)).toBe(3600);
    expect(await limiter.remaining(['sendsPerIp', '203.0.113.7'])).toBe(18);
  });

  it('checks without counting, gives back, and forgets after the window', async () => {
    const { limiter } = storeWith();
    expect(await limiter.check([['resendCooldown', 'a']])).toBeUndefined();
    await limiter.take([['resendCooldown', 'a']]);
    expect(await limiter.check([['resendCooldown', 'a']])).toBe(30);
    expect(await limiter.check([['resendCooldown', 'b']])).toBeUndefined();
    vi.advanceTimersByTime(30_000);
    expect(await limiter.check([['resendCooldown', 'a']])).toBeUndefined();
    await limiter.take([['resendCooldown', 'a']]);
    await limiter.giveBack([['resendCooldown', 'a']]);
    expect(await limiter.check([['resendCooldown', 'a']])).toBeUndefined();
  });

  it('turns a rule off when its window is 0', async () => {
    const { limiter } = storeWith({ OTP_RESEND_AFTER_SECONDS: '0' });
    for (let i = 0; i < 3; i++) expect(await limiter.take([['resendCooldown', 'a']])).toBeUndefined();
    expect(await limiter.remaining(['resendCooldown', 'a'])).toBe(Infinity);
  });

  it('keeps a number’s code window until the code dies, and spends a code once', async () => {
    const { codes } = storeWith({ OTP_EXPIRY_SECONDS: '60' });
    await codes.open('+447400123456', { codeId: 'c1', startedAt: Date.now() - 20_000 });
    expect(await codes.current('+447400123456')).toEqual({ codeId: 'c1', startedAt: Date.now() - 20_000 });
    expect(await codes.current('+447400999888')).toBeUndefined();
    vi.advanceTimersByTime(40_000);
    expect(await codes.current('+447400123456')).toBeUndefined();
    expect([await codes.spend('c1'), await codes.spend('c1'), await codes.spend('c2')]).toEqual([true, false, true]);
    await codes.open('+447400123456', { codeId: 'c3', startedAt: Date.now() });
    await codes.close('+447400123456');
    expect(await codes.current('+447400123456')).toBeUndefined();
  });
});

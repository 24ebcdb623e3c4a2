import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { parseEnv } from './env';
import { createLimiter } from './rate-limits';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 27) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createLimiter (memory)', () => {
  it('counts all the hits or none of them', async () => {
    const limiter = createLimiter(parseEnv({ LIMIT_CODES_PER_PHONE_HOUR: '2', OTP_RESEND_AFTER_SECONDS: '0' }));
    const hits = [
      ['sendsPerIp', '203.0.113.7'],
      ['codesPerPhoneHour', '+447400123456'],
    ] as const;
    expect(await limiter.take(hits)).toBeUndefined();
    expect(await limiter.take(hits)).toBeUndefined();
    expect(await limiter.take(hits)).toBe(3600);
    expect(await limiter.remaining(['sendsPerIp', '203.0.113.7'])).toBe(18);
  });

  it('checks without counting, and forgets after the window', async () => {
    const limiter = createLimiter(parseEnv({}));
    expect(await limiter.check([['resendCooldown', 'a']])).toBeUndefined();
    await limiter.take([['resendCooldown', 'a']]);
    expect(await limiter.check([['resendCooldown', 'a']])).toBe(30);
    expect(await limiter.check([['resendCooldown', 'b']])).toBeUndefined();
    vi.advanceTimersByTime(30_000);
    expect(await limiter.check([['resendCooldown', 'a']])).toBeUndefined();
  });

  it('turns a rule off when its window is 0', async () => {
    const limiter = createLimiter(parseEnv({ OTP_RESEND_AFTER_SECONDS: '0' }));
    for (let i = 0; i < 3; i++) expect(await limiter.take([['resendCooldown', 'a']])).toBeUndefined();
    expect(await limiter.remaining(['resendCooldown', 'a'])).toBe(Infinity);
  });
});

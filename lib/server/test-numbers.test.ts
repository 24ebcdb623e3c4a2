import { afterEach, describe, expect, it, vi } from 'vitest';

import { parseEnv } from './env';
import { memoryStore } from './limit-store';
import { deliveryStatus, recordDeliveryReport } from './sign-in/delivery-status';
import { fakeDeps, IP } from './sign-in/fakes.test-support';
import { startSignIn } from './sign-in/start';
import { verifyCode } from './sign-in/verify';
import { testNumbersWarning, withTestNumbers } from './test-numbers';

afterEach(() => {
  vi.useRealTimers();
});

const env = (vars: Record<string, string>) => parseEnv({ NODE_ENV: 'test', ...vars });
const refusal = (vars: Record<string, string>) => {
  try {
    env(vars);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseEnv to refuse');
};

describe('TEST_PHONE_NUMBERS', () => {
  it('is off by default', () => {
    expect(env({}).TEST_PHONE_NUMBERS.size).toBe(0);
  });

  it('reads number=code pairs, spaces around them allowed', () => {
    const numbers = env({ TEST_PHONE_NUMBERS: ' +12025550123=424242, +447400123457 = 135790 ,' }).TEST_PHONE_NUMBERS;
    expect([...numbers]).toEqual([
      ['+12025550123', '424242'],
      ['+447400123457', '135790'],
    ]);
  });

  it('wants codes of OTP_CODE_LENGTH digits', () => {
    expect(env({ TEST_PHONE_NUMBERS: '+12025550123=42424242', OTP_CODE_LENGTH: '8' }).TEST_PHONE_NUMBERS.get('+12025550123')).toBe('42424242');
    expect(refusal({ TEST_PHONE_NUMBERS: '+12025550123=4242' })).toMatch(/TEST_PHONE_NUMBERS: the code of \+12\*{6}123 must have OTP_CODE_LENGTH \(6\) digits/);
  });

  it.each([
    ['a number that is not E.164', '12025550123=424242', /TEST_PHONE_NUMBERS: "\+12\*{6}123" is not a valid phone number in E\.164 form/],
    ['a national number', '02025550123=424242', /TEST_PHONE_NUMBERS: .* is not a valid phone number/],
    ['a number libphonenumber does not accept (fictional 555-01xx)', '+15555550100=424242', /TEST_PHONE_NUMBERS: "\+15\*{6}100" is not a valid phone number/],
    ['a code that is not digits', '+12025550123=42a424', /TEST_PHONE_NUMBERS: the code of \+12\*{6}123 must be digits only/],
    ['a missing code', '+12025550123', /TEST_PHONE_NUMBERS: "\+12\*{6}123": write each as \+number=code/],
    ['a number listed twice', '+12025550123=424242,+12025550123=135790', /TEST_PHONE_NUMBERS: \+12\*{6}123 is listed twice/],
  ])('refuses %s, naming the variable and never the whole number', (_label, value, message) => {
    const text = refusal({ TEST_PHONE_NUMBERS: value });
    expect(text).toMatch(message);
    expect(text).not.toContain('2025550123');
  });

  it('warns with the numbers masked', () => {
    const warning = testNumbersWarning(env({ TEST_PHONE_NUMBERS: '+12025550123=424242,+447400123457=135790' }).TEST_PHONE_NUMBERS);
    expect(warning).toMatch(/^TEST_PHONE_NUMBERS: \+12\*{6}123, \+44\*{6}457 /);
    expect(warning).not.toMatch(/2025550123|7400123457|424242/);
  });
});

describe('a test number at sign-in', () => {
  // The real use-cases over the fake ports, with the test-number decorator in front of the fake Plivo.
  function setUp() {
    const fake = fakeDeps({ members: [{ id: 'user-qa', first_name: 'QA', last_name: null, email: null, phone: '+447400123457' }] });
    const numbers = new Map([['+447400123457', '135790']]);
    fake.deps.verifier = withTestNumbers(fake.deps.verifier, { numbers, store: memoryStore(), pacer: fake.deps.pacer, lifetimeSeconds: 600 });
    return fake;
  }

  it('signs in with the fixed code, sends nothing and asks Plivo nothing', async () => {
    const fake = setUp();
    const { session, body } = await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP });
    expect(body).toMatchObject({ status: 'code_sent', channel: 'sms', expiresIn: 600 });
    const wrong = await verifyCode(fake.deps, session, { code: '135791', ip: IP, userAgent: null }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'invalid_code', extra: { attemptsLeft: 4 } });
    const signedIn = await verifyCode(fake.deps, session, { code: '135790', ip: IP, userAgent: null });
    expect(signedIn.body.user.id).toBe('user-qa');
    expect(fake.calls.filter((call) => call.startsWith('send') || call.startsWith('check'))).toEqual([]);
  });

  it('has an imitated delivery: the code screen sees it go on, and it takes no reports', async () => {
    const fake = setUp();
    const { session } = await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP });
    expect(await deliveryStatus(fake.deps, session)).toEqual({ delivery: 'sending' });
    const report = { delivery: session.pending!.delivery!, nonce: 'nonce0001', state: { state: 'failed', reason: 'undelivered' } } as const;
    await expect(recordDeliveryReport(fake.deps, report)).rejects.toMatchObject({ code: 'callback_stale' });
  });

  it('keeps one session per code lifetime like Plivo, and a verified one takes no more codes', async () => {
    const fake = setUp();
    const first = (await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP })).session;
    fake.advance(30);
    const again = (await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP })).session;
    expect(again.pending!.sessionUuid).toBe(first.pending!.sessionUuid);
    await verifyCode(fake.deps, again, { code: '135790', ip: IP, userAgent: null });
    const replay = await verifyCode(fake.deps, first, { code: '135790', ip: IP, userAgent: null }).catch((e: unknown) => e);
    expect(replay).toMatchObject({ code: 'code_expired' });
    fake.advance(30);
    const next = (await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP })).session;
    expect(next.pending!.sessionUuid).not.toBe(first.pending!.sessionUuid);
  });
});

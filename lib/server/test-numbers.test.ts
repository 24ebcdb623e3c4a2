import { afterEach, describe, expect, it, vi } from 'vitest';

import { parseEnv } from './env';
import { memoryStore, type LimitStore } from './limit-store';
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

  it('gives each code a budget of 100 wrong codes unless told otherwise', () => {
    expect(env({}).TEST_PHONE_NUMBERS_MAX_WRONG_CODES).toBe(100);
    expect(env({ TEST_PHONE_NUMBERS_MAX_WRONG_CODES: '20' }).TEST_PHONE_NUMBERS_MAX_WRONG_CODES).toBe(20);
    expect(refusal({ TEST_PHONE_NUMBERS_MAX_WRONG_CODES: '0' })).toMatch(/TEST_PHONE_NUMBERS_MAX_WRONG_CODES: /);
  });

  it('reads number=code pairs, spaces around them allowed', () => {
    const numbers = env({ TEST_PHONE_NUMBERS: ' +12025550123=424242, +447400123457 = 135790 ,' }).TEST_PHONE_NUMBERS;
    expect([...numbers]).toEqual([
      ['+12025550123', '424242'],
      ['+447400123457', '135790'],
    ]);
  });

  it('wants codes of OTP_CODE_LENGTH digits', () => {
    expect(env({ TEST_PHONE_NUMBERS: '+12025550123=42424242', OTP_CODE_LENGTH: '8' }).TEST_PHONE_NUMBERS.get('+12025550123')).toBe(
      '42424242',
    );
    expect(refusal({ TEST_PHONE_NUMBERS: '+12025550123=4242' })).toMatch(
      /TEST_PHONE_NUMBERS: the code of \+12\*{6}123 must have OTP_CODE_LENGTH \(6\) digits/,
    );
  });

  it.each([
    ['a number that is not E.164', '12025550123=424242', /TEST_PHONE_NUMBERS: "\+12\*{6}123" is not a valid phone number in E\.164 form/],
    ['a national number', '02025550123=424242', /TEST_PHONE_NUMBERS: .* is not a valid phone number/],
    [
      'a number libphonenumber does not accept (fictional 555-01xx)',
      '+15555550100=424242',
      /TEST_PHONE_NUMBERS: "\+15\*{6}100" is not a valid phone number/,
    ],
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
  function setUp({
    code = '135790',
    store = memoryStore(),
    wrongCodeBudget = 100,
  }: { code?: string; store?: LimitStore; wrongCodeBudget?: number } = {}) {
    const fake = fakeDeps({ members: [{ id: 'user-qa', first_name: 'QA', last_name: null, email: null, phone: '+447400123457' }] });
    const numbers = new Map([['+447400123457', code]]);
    const budget = { wrongCodes: wrongCodeBudget, secret: 'k'.repeat(32) };
    fake.deps.verifier = withTestNumbers(fake.deps.verifier, { numbers, store, pacer: fake.deps.pacer, lifetimeSeconds: 600, budget });
    return fake;
  }

  /** One start and `count` wrong codes; the errors the person got. */
  async function wrongCodes(fake: ReturnType<typeof setUp>, count: number) {
    const { session } = await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP });
    const errors = [];
    for (let i = 0; i < count; i++)
      errors.push(await verifyCode(fake.deps, session, { code: '000000', ip: IP, userAgent: null }).catch((e: unknown) => e));
    fake.advance(601); // the code's window ends, so the next start opens another
    return { session, errors };
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

  it('stops signing in once its code has met its lifetime budget of wrong codes, until the code is changed', async () => {
    const store = memoryStore();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fake = setUp({ store, wrongCodeBudget: 6 });
    await wrongCodes(fake, 4);
    const { errors } = await wrongCodes(fake, 2); // another code window, the same budget
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(['invalid_code', 'invalid_code']);

    // The right code now fails as a wrong one does: nothing tells the guesser the budget is spent.
    const { session } = await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP });
    const refused = await verifyCode(fake.deps, session, { code: '135790', ip: IP, userAgent: null }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'invalid_code' });
    await verifyCode(fake.deps, session, { code: '000000', ip: IP, userAgent: null }).catch(() => undefined);
    // Said once, masked, without the code.
    const said = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('TEST_PHONE_NUMBERS'));
    expect(said).toEqual([
      expect.stringMatching(/^TEST_PHONE_NUMBERS: \+44\*{6}457 has had 6 wrong codes .*TEST_PHONE_NUMBERS_MAX_WRONG_CODES/),
    ]);
    expect(said.join('\n')).not.toMatch(/7400123457|135790/);

    // A new code for the number starts a new budget, in the same store.
    const rotated = setUp({ store, code: '246801', wrongCodeBudget: 6 });
    const next = await startSignIn(rotated.deps, {}, { phone: '+447400123457', ip: IP });
    expect((await verifyCode(rotated.deps, next.session, { code: '246801', ip: IP, userAgent: null })).body.user.id).toBe('user-qa');
  });

  it('keeps its budget under a key that holds neither the number nor its code, for a year from the last wrong code', async () => {
    const store = memoryStore();
    const keys: Array<{ key: string; ms: number; renew?: boolean }> = [];
    const countAll = store.countAll.bind(store);
    store.countAll = async (counters) => {
      keys.push(...counters);
      return countAll(counters);
    };
    await wrongCodes(setUp({ store }), 1);
    expect(keys).toEqual([
      { key: expect.stringMatching(/^\{sms-sign-in\}:test-number-wrong-codes:[\w-]{22}$/), points: 100, ms: 365 * 86_400_000, renew: true },
    ]);
    expect(keys[0]!.key).not.toMatch(/7400123457|135790/);
  });
});

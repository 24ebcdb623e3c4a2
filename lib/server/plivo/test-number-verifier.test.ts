import { afterEach, describe, expect, it, vi } from 'vitest';

import { deliveryStatus, recordDeliveryReport } from '../sign-in/sms/delivery-status';
import { fakeDeps, IP } from '../sign-in/fakes.test-support';
import { startSignIn } from '../sign-in/sms/start';
import { verifyCode } from '../sign-in/sms/verify';
import { memoryStore, type SharedStore } from '../store/shared-store';
import { withTestNumbers } from './test-number-verifier';

afterEach(() => {
  vi.useRealTimers();
});

describe('a test number at sign-in', () => {
  // The real use-cases over the fake ports, with the test-number decorator in front of the fake Plivo.
  function setUp({
    code = '135790',
    store = memoryStore(),
    wrongCodeBudget = 100,
  }: { code?: string; store?: SharedStore; wrongCodeBudget?: number } = {}) {
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
    expect(again.pending!.codeId).toBe(first.pending!.codeId);
    await verifyCode(fake.deps, again, { code: '135790', ip: IP, userAgent: null });
    const replay = await verifyCode(fake.deps, first, { code: '135790', ip: IP, userAgent: null }).catch((e: unknown) => e);
    expect(replay).toMatchObject({ code: 'code_expired' });
    fake.advance(30);
    const next = (await startSignIn(fake.deps, {}, { phone: '+447400123457', ip: IP })).session;
    expect(next.pending!.codeId).not.toBe(first.pending!.codeId);
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

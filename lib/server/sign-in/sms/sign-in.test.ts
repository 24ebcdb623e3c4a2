import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError, SignInFailure } from '../../errors';
import { ADA, fakeDeps, IP, rejection } from '../fakes.test-support';
import type { SessionData } from '../ports';
import { loadProfile } from '../profile';
import { resendCode } from './resend';
import { signOut } from '../sign-out';
import { startSignIn } from './start';
import { verifyCode } from './verify';

afterEach(() => {
  vi.useRealTimers();
});

type Fake = ReturnType<typeof fakeDeps>;

async function started(fake: Fake, phone = '07400 123456', ip = IP) {
  const { session } = await startSignIn(fake.deps, {}, { phone, country: 'GB', ip });
  return session;
}

const verify = (fake: Fake, session: SessionData, code: string, ip = IP) =>
  verifyCode(fake.deps, session, { code, ip, userAgent: 'TestBrowser/1.0' });

const SIGNED_IN = { id: 'x', signedInAt: Date.UTC(2026, 10, 27), credential: { strategy: 'static', token: 't' } } as const;

describe('startSignIn', () => {
  it('sends a code to the member and keeps the pending verification in the session', async () => {
    const fake = fakeDeps();
    const { session, body } = await startSignIn(fake.deps, {}, { phone: '07400 123456', country: 'GB', ip: IP });
    expect(body).toEqual({ status: 'code_sent', phone: '+44 7400 123456', channel: 'sms', resendAfter: 30, expiresIn: 600 });
    expect(fake.calls).toEqual(['find +447400123456', 'send +447400123456 sms']);
    expect(session.pending).toMatchObject({ userId: 'user-ada', codeId: 'plivo-session-1', phone: '+447400123456', decoy: 0 });
  });

  it("sends the code in the person's language, English unless given", async () => {
    const fake = fakeDeps();
    await startSignIn(fake.deps, {}, { phone: '+447400123456', ip: IP, locale: 'de' });
    expect(fake.locales).toEqual(['de']);
    const other = fakeDeps();
    await startSignIn(other.deps, {}, { phone: '+447400123456', ip: IP });
    expect(other.locales).toEqual(['en']);
  });

  it('uses the country only for numbers without +', async () => {
    const fake = fakeDeps();
    await startSignIn(fake.deps, {}, { phone: '+44 7400 123456', country: 'US', ip: IP });
    expect(fake.calls[0]).toBe('find +447400123456');
  });

  it('answers an unknown number identically after as long as a send, sending nothing', async () => {
    const knownFake = fakeDeps();
    const known = await startSignIn(knownFake.deps, {}, { phone: '07400 123456', country: 'GB', ip: IP });
    const fake = fakeDeps({ members: [] });
    await fake.deps.pacer.measure('start', '+447400999999', async () => fake.advance(0.04)); // a real send took 40 ms
    const unknown = await startSignIn(fake.deps, {}, { phone: '07400 123456', country: 'GB', ip: IP });
    expect(unknown.body).toEqual(known.body);
    expect(fake.calls).toEqual(['find +447400123456']);
    expect(fake.sleeps).toEqual([40]);
    expect(unknown.session.pending?.decoy).toBe(1);
    expect(unknown.session.pending?.userId).toHaveLength(known.session.pending!.userId.length);
    expect(unknown.session.pending?.codeId).toHaveLength(36);
    expect(Object.keys(unknown.session.pending!).sort()).toEqual(Object.keys(known.session.pending!).sort());
  });

  it('teaches the pacer how long real sends take', async () => {
    const fake = fakeDeps();
    await started(fake);
    await fake.deps.pacer.imitate('start', fake.deps.pacer.mark());
    expect(fake.sleeps).toEqual([40]);
  });

  it("keeps the first start's lifetime on a repeat start, for members and strangers alike", async () => {
    for (const members of [[ADA], []]) {
      const fake = fakeDeps({ members, env: { OTP_RESEND_AFTER_SECONDS: '0' } });
      const first = await startSignIn(fake.deps, {}, { phone: '07400 123456', country: 'GB', ip: IP });
      fake.advance(35);
      const again = await startSignIn(fake.deps, {}, { phone: '07400 123456', country: 'GB', ip: IP });
      expect(again.body.expiresIn).toBe(565);
      expect(again.session.pending?.codeId).toBe(first.session.pending?.codeId);
      fake.advance(566);
      expect((await rejection(verify(fake, again.session, '123456'))).code).toBe('code_expired');
    }
  });

  it.each([
    ['not a number', 'hello'],
    ['too short', '0740'],
    ['a UK landline that cannot take SMS', '020 7946 0000'],
    ['a premium-rate number', '0909 8790000'],
    ['a UK VoIP number', '056 1234 5678'],
    ['a number that is not valid with full metadata', '+491000000000'],
  ])('rejects %s with invalid_phone and calls nobody', async (_label, phone) => {
    const fake = fakeDeps();
    expect((await rejection(startSignIn(fake.deps, {}, { phone, country: 'GB', ip: IP }))).code).toBe('invalid_phone');
    expect(fake.calls).toEqual([]);
  });

  it('accepts more number types when configured', async () => {
    const fake = fakeDeps({ env: { ALLOWED_NUMBER_TYPES: 'MOBILE,FIXED_LINE' }, members: [{ ...ADA, phone: '+442079460000' }] });
    await startSignIn(fake.deps, {}, { phone: '020 7946 0000', country: 'GB', ip: IP });
    expect(fake.calls).toContain('send +442079460000 sms');
  });

  it('refuses countries outside the allow-list, for members and strangers alike', async () => {
    const fake = fakeDeps({ env: { ALLOWED_COUNTRIES: 'IE,FR' } });
    expect((await rejection(startSignIn(fake.deps, {}, { phone: '+447400123456', ip: IP }))).code).toBe('country_not_allowed');
    expect((await rejection(startSignIn(fake.deps, {}, { phone: '+447400999888', ip: IP }))).code).toBe('country_not_allowed');
    expect(fake.calls).toEqual([]);
    await startSignIn(fake.deps, {}, { phone: '+33612345678', ip: IP });
  });

  it('keeps a signed-in user while a new verification is pending', async () => {
    const fake = fakeDeps();
    const { session } = await startSignIn(fake.deps, { user: SIGNED_IN }, { phone: '+447400123456', ip: IP });
    expect(session.user).toEqual(SIGNED_IN);
  });
});

describe('limits on sending', () => {
  it('holds a number to one code per resend cooldown, even from a fresh cookie', async () => {
    const fake = fakeDeps();
    await started(fake);
    fake.advance(10);
    const error = await rejection(startSignIn(fake.deps, {}, { phone: '+447400123456', ip: '198.51.100.1' }));
    expect(error.code).toBe('rate_limited');
    expect(error.extra.retryAfter).toBe(20);
  });

  it('allows 5 codes per number per hour and 10 per day', async () => {
    const fake = fakeDeps({ env: { OTP_RESEND_AFTER_SECONDS: '0' } });
    for (let i = 0; i < 5; i++) await started(fake, '+447400123456', `198.51.100.${i}`);
    const sixth = await rejection(started(fake, '+447400123456', '198.51.100.99'));
    expect(sixth.code).toBe('rate_limited');
    expect(sixth.extra.retryAfter).toBe(3600);
    fake.advance(3600);
    for (let i = 0; i < 5; i++) await started(fake, '+447400123456', `198.51.100.${i}`);
    fake.advance(3600);
    expect((await rejection(started(fake))).extra.retryAfter).toBe(86_400 - 7200);
  });

  it('counts numbers nobody owns the same way', async () => {
    const fake = fakeDeps({ members: [] });
    await started(fake);
    expect((await rejection(started(fake))).code).toBe('rate_limited');
  });

  it('allows 20 sends per client IP per hour', async () => {
    const fake = fakeDeps({ members: [] });
    for (let i = 0; i < 20; i++) await started(fake, `+4474001234${String(i).padStart(2, '0')}`);
    const error = await rejection(started(fake, '+447400123499'));
    expect(error.code).toBe('rate_limited');
    await started(fake, '+447400123499', '198.51.100.1');
  });

  it('stops sending at the global SMS budget, and refuses strangers too once it is spent', async () => {
    const fake = fakeDeps({ env: { LIMIT_SMS_PER_HOUR: '2' }, members: [ADA, { ...ADA, id: 'user-bob', phone: '+447400222222' }] });
    await started(fake, '+447400123456');
    await started(fake, '+447400222222', '198.51.100.2');
    expect((await rejection(started(fake, '+447400999888', '198.51.100.3'))).code).toBe('rate_limited');
    expect(fake.calls.filter((c) => c.startsWith('send'))).toHaveLength(2);
  });

  it('spends the budget only on real sends', async () => {
    const fake = fakeDeps({ env: { LIMIT_SMS_PER_HOUR: '1', LIMIT_SENDS_PER_IP_HOUR: '1000' } });
    for (let i = 0; i < 100; i++) await started(fake, `+4474009${String(i).padStart(5, '0')}`);
    await started(fake);
    expect(fake.calls.filter((c) => c.startsWith('send'))).toHaveLength(1);
  });

  it('does not count a refused request against the other limits', async () => {
    const fake = fakeDeps();
    await started(fake);
    for (let i = 0; i < 30; i++) await rejection(started(fake));
    fake.advance(31);
    await started(fake, '+447400123456', '198.51.100.50');
  });
});

describe('resendCode', () => {
  it('refuses without a pending verification', async () => {
    expect((await rejection(resendCode(fakeDeps().deps, {}, { channel: 'sms', ip: IP }))).code).toBe('no_pending_verification');
  });

  it('refuses before the cooldown with the seconds left', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(10);
    const error = await rejection(resendCode(fake.deps, session, { channel: 'sms', ip: IP }));
    expect(error.code).toBe('rate_limited');
    expect(error.extra.retryAfter).toBe(20);
  });

  it('sends again by voice after the cooldown, and the cooldown starts over', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(31);
    const { session: next, body } = await resendCode(fake.deps, session, { channel: 'voice', ip: IP });
    expect(body).toMatchObject({ status: 'code_sent', channel: 'voice', phone: '+44 7400 123456', resendAfter: 30 });
    expect(body.expiresIn).toBeLessThan(600);
    expect(fake.calls.at(-1)).toBe('send +447400123456 voice');
    expect(next.pending?.channel).toBe('voice');
    expect((await rejection(resendCode(fake.deps, next, { channel: 'sms', ip: IP }))).code).toBe('rate_limited');
  });

  it('speaks the language the person has now', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(31);
    await resendCode(fake.deps, session, { channel: 'voice', ip: IP, locale: 'es' });
    expect(fake.locales).toEqual(['en', 'es']);
  });

  it('sends nothing for an unknown number but answers the same', async () => {
    const fake = fakeDeps({ members: [] });
    const session = await started(fake);
    fake.advance(31);
    const { body } = await resendCode(fake.deps, session, { channel: 'sms', ip: IP });
    expect(body.status).toBe('code_sent');
    expect(fake.calls.filter((c) => c.startsWith('send'))).toEqual([]);
  });

  it('refuses once the verification has expired', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(601);
    expect((await rejection(resendCode(fake.deps, session, { channel: 'sms', ip: IP }))).code).toBe('no_pending_verification');
  });
});

describe('verifyCode', () => {
  it('signs the member in with a credential for this device and drops the pending verification', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    const { session: next, body } = await verify(fake, session, '123 456');
    expect(fake.calls).toContain('check plivo-session-1 123456');
    expect(body).toEqual({ status: 'signed_in', user: ADA, redirectTo: '/account' });
    expect(next).toEqual({
      user: { id: 'user-ada', signedInAt: Date.now(), credential: expect.objectContaining({ strategy: 'session', token: 'token-1' }) },
    });
    expect(fake.sessions.get('token-1')).toMatchObject({ userId: 'user-ada', userAgent: 'TestBrowser/1.0' });
  });

  it('refuses without a pending verification', async () => {
    expect((await rejection(verifyCode(fakeDeps().deps, {}, { code: '123456', ip: IP, userAgent: null }))).code).toBe(
      'no_pending_verification',
    );
  });

  it('counts wrong codes and reports the attempts left', async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code' });
    const session = await started(fake);
    const error = await rejection(verify(fake, session, '000000'));
    expect(error.code).toBe('invalid_code');
    expect(error.extra.attemptsLeft).toBe(4);
  });

  it('refuses the 6th code of a client even when it is right, with a replayed cookie or a repeat start', async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code', env: { OTP_RESEND_AFTER_SECONDS: '0' } });
    const session = await started(fake);
    const codes: string[] = [];
    let last: ApiError | undefined;
    for (let i = 0; i < 5; i++) {
      last = await rejection(verify(fake, session, '000000')); // the same cookie every time
      codes.push(last.code);
    }
    expect(codes).toEqual(['invalid_code', 'invalid_code', 'invalid_code', 'invalid_code', 'too_many_attempts']);
    expect((last as SignInFailure).session.pending).toBeUndefined();
    expect(last!.extra.retryAfter).toBe(600);
    fake.verifier.checkResult = 'verified';
    expect((await rejection(verify(fake, session, '123456'))).code).toBe('too_many_attempts');
    // A repeat start lands on the same code, so it sends nothing and earns no tries.
    const repeat = await rejection(started(fake));
    expect(repeat.code).toBe('rate_limited');
    expect(fake.calls.filter((c) => c.startsWith('check'))).toHaveLength(5);
    expect(fake.calls.filter((c) => c.startsWith('send'))).toHaveLength(1);
  });

  it('reserves each try before asking Plivo, so a parallel burst gets no more than five', async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code' });
    const session = await started(fake);
    const results = await Promise.all(Array.from({ length: 20 }, () => rejection(verify(fake, session, '000000'))));
    expect(fake.calls.filter((c) => c.startsWith('check'))).toHaveLength(5);
    expect(results.filter((e) => e.code === 'too_many_attempts').length).toBeGreaterThanOrEqual(15);
    expect(results.every((e) => e.code === 'too_many_attempts' || e.code === 'invalid_code')).toBe(true);
  });

  it("does not let strangers' wrong codes lock the owner out", async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code', env: { OTP_RESEND_AFTER_SECONDS: '0' } });
    const stranger = '198.51.100.66';
    const theirs = await started(fake, '07400 123456', stranger);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await rejection(verify(fake, theirs, '000000', stranger))).code);
    expect(answers.filter((code) => code === 'too_many_attempts')).toHaveLength(6);
    // Their second verification of the same code sends nothing and earns nothing.
    expect((await rejection(started(fake, '07400 123456', stranger))).code).toBe('rate_limited');
    fake.verifier.checkResult = 'verified';
    const mine = await started(fake);
    const { body } = await verify(fake, mine, '123456');
    expect(body.status).toBe('signed_in');
  });

  it("stops every client together at Plivo's ten checks of one code, and sends nothing more for it", async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code', env: { OTP_RESEND_AFTER_SECONDS: '0' } });
    for (const ip of ['198.51.100.1', '198.51.100.2']) {
      const session = await started(fake, '07400 123456', ip);
      for (let i = 0; i < 5; i++) await rejection(verify(fake, session, '000000', ip));
    }
    const blocked = await rejection(started(fake));
    expect(blocked.code).toBe('rate_limited');
    expect(fake.calls.filter((c) => c.startsWith('check'))).toHaveLength(10);
    expect(fake.calls.filter((c) => c.startsWith('send'))).toHaveLength(2);
    fake.advance(blocked.extra.retryAfter!);
    fake.verifier.checkResult = 'verified';
    expect((await verify(fake, await started(fake), '123456')).body.status).toBe('signed_in');
  });

  it('bounds guesses at a number by its sends: a new code brings new tries', async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code' });
    const first = await started(fake);
    for (let i = 0; i < 5; i++) await rejection(verify(fake, first, '000000'));
    fake.advance(600);
    const second = await started(fake);
    expect(second.pending?.codeId).not.toBe(first.pending?.codeId);
    expect((await rejection(verify(fake, second, '000000'))).extra.attemptsLeft).toBe(4);
  });

  it('limits verifies per client IP (60 per 10 minutes)', async () => {
    const fake = fakeDeps({ members: [] });
    for (let i = 0; i < 60; i++) {
      const session = await started(fake, `+4474009${String(i).padStart(5, '0')}`, `198.51.100.${i}`);
      await rejection(verify(fake, session, 'abc'));
    }
    const session = await started(fake, '+447400999999', '198.51.100.200');
    expect((await rejection(verify(fake, session, '123456'))).code).toBe('rate_limited');
  });

  it('counts malformed codes without asking Plivo', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    expect((await rejection(verify(fake, session, 'abc'))).code).toBe('invalid_code');
    expect(fake.calls.some((c) => c.startsWith('check'))).toBe(false);
  });

  it('answers code_expired when our window has passed, and when Plivo says so', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(601);
    const late = (await rejection(verify(fake, session, '123456'))) as SignInFailure;
    expect(late.code).toBe('code_expired');
    expect(late.session.pending).toBeUndefined();

    const fake2 = fakeDeps({ checkResult: 'expired' });
    expect((await rejection(verify(fake2, await started(fake2), '123456'))).code).toBe('code_expired');
  });

  it('never signs in an unknown number, and takes as long as asking Plivo', async () => {
    const fake = fakeDeps({ members: [] });
    await fake.deps.pacer.measure('verify', '+447400999999', async () => fake.advance(0.03)); // a real check took 30 ms
    const session = await started(fake);
    const error = await rejection(verify(fake, session, '123456'));
    expect(error.code).toBe('invalid_code');
    expect(error.extra.attemptsLeft).toBe(4);
    expect(fake.sleeps.at(-1)).toBe(30);
    expect(fake.calls.some((c) => c.startsWith('check') || c.startsWith('issue'))).toBe(false);
  });

  it('refuses a verification whose OTP session was already used (replay)', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    await verify(fake, session, '123456');
    const replay = await rejection(verify(fake, session, '123456'));
    expect(replay.code).toBe('code_expired');
    expect([...fake.sessions.keys()]).toEqual(['token-1']);
  });

  it('signs in once for parallel right codes, even if Plivo said yes to each', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => verify(fake, session, '123456')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(fake.calls.filter((c) => c.startsWith('issue'))).toHaveLength(1);
  });

  it.each([
    ['Arabic-Indic', '١٢٣٤٥٦'],
    ['Persian', '۱۲۳۴۵۶'],
    ['Devanagari', '१२३४५६'],
    ['fullwidth', '１２３ ４５６'],
  ])('reads a code typed in %s digits as ASCII', async (_script, typed) => {
    const fake = fakeDeps();
    await verify(fake, await started(fake), typed);
    expect(fake.calls).toContain('check plivo-session-1 123456');
  });

  it('gives the next start after a sign-in a new code', async () => {
    const fake = fakeDeps({ env: { OTP_RESEND_AFTER_SECONDS: '0' } });
    const first = await started(fake);
    await verify(fake, first, '123456');
    const next = await started(fake);
    expect(next.pending?.codeId).toBe('plivo-session-2');
    expect(next.pending?.startedAt).toBeGreaterThan(first.pending!.startedAt);
  });

  it('passes upstream failures through unchanged and keeps the pending verification', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.deps.verifier.checkCode = async () => {
      throw new ApiError('upstream_unavailable');
    };
    const error = await rejection(verify(fake, session, '123456'));
    expect(error.code).toBe('upstream_unavailable');
    expect(error).not.toBeInstanceOf(SignInFailure);
  });
});

describe('signOut and loadProfile', () => {
  it('revokes the credential and empties the session', async () => {
    const fake = fakeDeps();
    const { session } = await verify(fake, await started(fake), '123456');
    const out = await signOut(fake.deps, session);
    expect(out).toEqual({ session: {}, body: { status: 'signed_out' } });
    expect(fake.sessions.size).toBe(0);
    expect((await loadProfile(fake.deps, session)).user).toBeUndefined();
  });

  it("revokes only the credential this cookie holds, not a newer device's", async () => {
    const fake = fakeDeps({ env: { OTP_RESEND_AFTER_SECONDS: '0' } });
    const { session: older } = await verify(fake, await started(fake), '123456');
    const { session: newer } = await verify(fake, await started(fake), '123456');
    await signOut(fake.deps, older);
    expect((await loadProfile(fake.deps, newer)).user).toEqual(ADA);
  });

  it('signs out locally when Directus cannot revoke, and says so', async () => {
    const fake = fakeDeps();
    fake.deps.credentials.revoke = async () => {
      throw new ApiError('upstream_unavailable');
    };
    const out = await signOut(fake.deps, { user: SIGNED_IN });
    expect(out.session).toEqual({});
    expect(out.revokeFailed).toBeInstanceOf(ApiError);
  });

  it('signing out without a session calls nobody', async () => {
    const fake = fakeDeps();
    expect((await signOut(fake.deps, {})).body.status).toBe('signed_out');
    expect(fake.calls).toEqual([]);
  });

  it('reads the profile with the person’s own credential and ends a rejected one', async () => {
    const fake = fakeDeps();
    const { session } = await verify(fake, await started(fake), '123456');
    expect((await loadProfile(fake.deps, session)).user).toEqual(ADA);
    fake.members.get('user-ada')!.active = false;
    expect(await loadProfile(fake.deps, session)).toEqual({ user: undefined, session: { pending: undefined } });
  });
});

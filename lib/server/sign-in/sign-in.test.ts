import { describe, expect, it } from 'vitest';

import { AuthError } from '../errors';
import type { SessionData } from '../session';
import { ADA, fakeDeps } from './fakes.test-support';
import { loadProfile } from './profile';
import { resendCode } from './resend';
import { signOut } from './sign-out';
import { startSignIn } from './start';
import { SignInFailure, verifyCode } from './verify';

async function rejection(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

async function started(fake = fakeDeps(), phone = '07400 123456') {
  const { session } = await startSignIn(fake.deps, {}, { phone, country: 'GB' });
  return session;
}

describe('startSignIn', () => {
  it('sends a code to the member and keeps the pending verification in the session', async () => {
    const fake = fakeDeps();
    const { session, body } = await startSignIn(fake.deps, {}, { phone: '07400 123456', country: 'GB' });
    expect(body).toEqual({ status: 'code_sent', phone: '+44 7400 123456', channel: 'sms', resendAfter: 30, expiresIn: 600 });
    expect(fake.calls).toEqual(['find +447400123456', 'send +447400123456 sms', 'setOtp user-ada plivo-session-1']);
    expect(session.pending).toMatchObject({ userId: 'user-ada', sessionUuid: 'plivo-session-1', phone: '+447400123456', attempts: 0, decoy: 0 });
  });

  it('uses the country only for numbers without +', async () => {
    const fake = fakeDeps();
    await startSignIn(fake.deps, {}, { phone: '+44 7400 123456', country: 'US' });
    expect(fake.calls[0]).toBe('find +447400123456');
  });

  it('answers an unknown number identically, sends nothing, and fills the session to the same shape', async () => {
    const known = await startSignIn(fakeDeps().deps, {}, { phone: '07400 123456', country: 'GB' });
    const fake = fakeDeps({ members: [] });
    const unknown = await startSignIn(fake.deps, {}, { phone: '07400 123456', country: 'GB' });
    expect(unknown.body).toEqual(known.body);
    expect(fake.calls).toEqual(['find +447400123456']);
    expect(unknown.session.pending?.decoy).toBe(1);
    expect(unknown.session.pending?.userId).toHaveLength(36);
    expect(unknown.session.pending?.sessionUuid).toHaveLength(36);
    expect(Object.keys(unknown.session.pending!).sort()).toEqual(Object.keys(known.session.pending!).sort());
  });

  it.each([
    ['not a number', 'hello'],
    ['too short', '0740'],
    ['a UK landline that cannot take SMS', '020 7946 0000'],
    ['a premium-rate number', '0909 8790000'],
    ['a number that is not valid with full metadata', '+491000000000'],
  ])('rejects %s with invalid_phone and calls nobody', async (_label, phone) => {
    const fake = fakeDeps();
    expect((await rejection(startSignIn(fake.deps, {}, { phone, country: 'GB' }))).code).toBe('invalid_phone');
    expect(fake.calls).toEqual([]);
  });

  it('keeps a signed-in user while a new verification is pending', async () => {
    const fake = fakeDeps();
    const { session } = await startSignIn(fake.deps, { user: { id: 'x', token: 't' } }, { phone: '+447400123456' });
    expect(session.user).toEqual({ id: 'x', token: 't' });
  });
});

describe('resendCode', () => {
  it('refuses without a pending verification', async () => {
    expect((await rejection(resendCode(fakeDeps().deps, {}, 'sms'))).code).toBe('no_pending_verification');
  });

  it('refuses before resendAfter with the seconds left', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(10);
    const error = await rejection(resendCode(fake.deps, session, 'sms'));
    expect(error.code).toBe('rate_limited');
    expect(error.extra.retryAfter).toBe(20);
  });

  it('sends again by voice after the cooldown and restarts the countdown', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(31);
    const { session: next, body } = await resendCode(fake.deps, session, 'voice');
    expect(body).toMatchObject({ status: 'code_sent', channel: 'voice', phone: '+44 7400 123456', resendAfter: 30, expiresIn: 569 });
    expect(fake.calls.at(-1)).toBe('send +447400123456 voice');
    expect(next.pending?.sentAt).toBe(fake.deps.clock.now());
    await expect(resendCode(fake.deps, next, 'sms')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('sends nothing for an unknown number but answers the same', async () => {
    const fake = fakeDeps({ members: [] });
    const session = await started(fake);
    fake.advance(31);
    const { body } = await resendCode(fake.deps, session, 'sms');
    expect(body.status).toBe('code_sent');
    expect(fake.calls.filter((c) => c.startsWith('send'))).toEqual([]);
  });

  it('refuses once the verification has expired', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(601);
    expect((await rejection(resendCode(fake.deps, session, 'sms'))).code).toBe('no_pending_verification');
  });
});

describe('verifyCode', () => {
  it('signs the member in with a fresh credential and drops the pending verification', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    const { session: next, body } = await verifyCode(fake.deps, session, '123 456');
    expect(fake.calls).toContain('check plivo-session-1 123456');
    expect(body).toEqual({ status: 'signed_in', user: ADA, redirectTo: '/account' });
    expect(next).toEqual({ user: { id: 'user-ada', token: 'token-1' } });
    expect(fake.members.get('user-ada')).toMatchObject({ token: 'token-1', otp: null });
  });

  it('refuses without a pending verification', async () => {
    expect((await rejection(verifyCode(fakeDeps().deps, {}, '123456'))).code).toBe('no_pending_verification');
  });

  it('counts wrong codes and reports the attempts left', async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code' });
    const session = await started(fake);
    const error = await rejection(verifyCode(fake.deps, session, '000000'));
    expect(error).toBeInstanceOf(SignInFailure);
    expect(error.code).toBe('invalid_code');
    expect(error.extra.attemptsLeft).toBe(4);
    expect((error as SignInFailure).session.pending?.attempts).toBe(1);
  });

  it('ends the verification after the fifth wrong code, even when the next code is right', async () => {
    const fake = fakeDeps({ checkResult: 'wrong_code' });
    let session: SessionData = await started(fake);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const error = (await rejection(verifyCode(fake.deps, session, '000000'))) as SignInFailure;
      codes.push(error.code);
      session = error.session;
    }
    expect(codes).toEqual(['invalid_code', 'invalid_code', 'invalid_code', 'invalid_code', 'too_many_attempts']);
    expect(session.pending).toBeUndefined();
    fake.verifier.checkResult = 'verified';
    expect((await rejection(verifyCode(fake.deps, session, '123456'))).code).toBe('no_pending_verification');
  });

  it('refuses a session that already used up its attempts without asking Plivo', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    const exhausted = { pending: { ...session.pending!, attempts: 5 } };
    expect((await rejection(verifyCode(fake.deps, exhausted, '123456'))).code).toBe('too_many_attempts');
    expect(fake.calls.some((c) => c.startsWith('check'))).toBe(false);
  });

  it('counts malformed codes without asking Plivo', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    expect((await rejection(verifyCode(fake.deps, session, 'abc'))).code).toBe('invalid_code');
    expect(fake.calls.some((c) => c.startsWith('check'))).toBe(false);
  });

  it('answers code_expired when our window has passed, and when Plivo says so', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.advance(601);
    const late = (await rejection(verifyCode(fake.deps, session, '123456'))) as SignInFailure;
    expect(late.code).toBe('code_expired');
    expect(late.session.pending).toBeUndefined();

    const fake2 = fakeDeps({ checkResult: 'expired' });
    expect((await rejection(verifyCode(fake2.deps, await started(fake2), '123456'))).code).toBe('code_expired');
  });

  it('never signs in an unknown number, whatever the code', async () => {
    const fake = fakeDeps({ members: [] });
    const session = await started(fake);
    const error = await rejection(verifyCode(fake.deps, session, '123456'));
    expect(error.code).toBe('invalid_code');
    expect(error.extra.attemptsLeft).toBe(4);
    expect(fake.calls.some((c) => c.startsWith('check') || c.startsWith('issue'))).toBe(false);
  });

  it('refuses a verification whose OTP session was already used (replay)', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    await verifyCode(fake.deps, session, '123456');
    const replay = await rejection(verifyCode(fake.deps, session, '123456'));
    expect(replay.code).toBe('code_expired');
    expect(fake.members.get('user-ada')?.token).toBe('token-1');
  });

  it('passes upstream failures through unchanged and keeps the pending verification', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    fake.deps.verifier.checkCode = async () => {
      throw new AuthError('upstream_unavailable');
    };
    const error = await rejection(verifyCode(fake.deps, session, '123456'));
    expect(error.code).toBe('upstream_unavailable');
    expect(error).not.toBeInstanceOf(SignInFailure);
  });
});

describe('signOut and loadProfile', () => {
  it('revokes the credential and empties the session', async () => {
    const fake = fakeDeps();
    const { session } = await verifyCode(fake.deps, await started(fake), '123456');
    const out = await signOut(fake.deps, session);
    expect(out).toEqual({ session: {}, body: { status: 'signed_out' } });
    expect(fake.members.get('user-ada')?.token).toBeNull();
    expect((await loadProfile(fake.deps, session)).user).toBeUndefined();
  });

  it('signs out locally when Directus cannot revoke, and says so', async () => {
    const fake = fakeDeps();
    fake.deps.directory.revokeToken = async () => {
      throw new AuthError('upstream_unavailable');
    };
    const out = await signOut(fake.deps, { user: { id: 'user-ada', token: 't' } });
    expect(out.session).toEqual({});
    expect(out.revokeFailed).toBeInstanceOf(AuthError);
  });

  it('signing out without a session calls nobody', async () => {
    const fake = fakeDeps();
    expect((await signOut(fake.deps, {})).body.status).toBe('signed_out');
    expect(fake.calls).toEqual([]);
  });

  it('reads the profile with the person’s own credential and ends a rejected one', async () => {
    const fake = fakeDeps();
    const { session } = await verifyCode(fake.deps, await started(fake), '123456');
    expect((await loadProfile(fake.deps, session)).user).toEqual(ADA);
    fake.members.get('user-ada')!.token = null;
    expect(await loadProfile(fake.deps, session)).toEqual({ user: undefined, session: { pending: undefined } });
  });
});

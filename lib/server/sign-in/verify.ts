import type { SignedInResponse } from '@/lib/api-contract';
import { AuthError, SignInFailure } from '../errors';
import type { PendingVerification, SessionData } from '../session';
import { enforce, isExpired, type Outcome, type SignInDeps } from './context';
import type { CheckResult, LimitHit } from './ports';

/**
 * Checks the code against the pending verification in the cookie (never an id from the request),
 * and on success swaps it for a fresh Directus credential. Wrong codes are counted on the server,
 * per verification and per phone number, so neither a replayed cookie nor a new code resets them
 * (NIST SP 800-63B-4 §3.1.3.2).
 */
export async function verifyCode(
  deps: SignInDeps,
  session: SessionData,
  input: { code: string; ip: string },
): Promise<Outcome<SignedInResponse>> {
  const pending = session.pending;
  if (!pending) throw new AuthError('no_pending_verification');
  const withoutPending: SessionData = { user: session.user };
  if (isExpired(deps, pending)) throw new SignInFailure('code_expired', withoutPending);
  await enforce(deps, [['verifiesPerIp', input.ip]]);

  const failures: LimitHit[] = [
    ['wrongCodesPerCode', pending.id],
    ['wrongCodesPerPhone', pending.phone],
  ];
  if ((await deps.limiter.check(failures)) !== undefined) throw await tooManyAttempts(deps, pending, withoutPending);

  const result = await check(deps, pending, input.code.replace(/[\s-]/g, ''));
  if (result === 'expired') throw new SignInFailure('code_expired', withoutPending);
  if (result === 'wrong_code') {
    await deps.limiter.take(failures);
    const left = Math.min(...(await Promise.all(failures.map((hit) => deps.limiter.remaining(hit)))));
    if (left <= 0) throw await tooManyAttempts(deps, pending, withoutPending);
    throw new AuthError('invalid_code', { attemptsLeft: left });
  }

  const token = deps.random.token();
  const expiresAt = new Date(deps.clock.now() + deps.policy.sessionMaxAgeSeconds * 1000);
  const user = await deps.directory.issueToken(pending.userId, pending.sessionUuid, token, expiresAt);
  // No match: the verification was used already, or the member was deactivated meanwhile.
  if (!user) throw new SignInFailure('code_expired', withoutPending);
  return {
    session: { user: { id: user.id, token } },
    body: { status: 'signed_in', user, redirectTo: deps.policy.homePath },
  };
}

/** Asks Plivo, except where there is nothing to ask: those paths wait as long as asking takes. */
async function check(deps: SignInDeps, pending: PendingVerification, code: string): Promise<CheckResult> {
  if (!/^\d{4,8}$/.test(code)) return 'wrong_code';
  if (pending.decoy) {
    await deps.pacer.imitate('check', deps.pacer.mark());
    return 'wrong_code';
  }
  return deps.pacer.measure('check', () => deps.verifier.checkCode(pending.sessionUuid, code));
}

/** The verification is over; a new code may be asked for once the phone's counters allow it. */
async function tooManyAttempts(deps: SignInDeps, pending: PendingVerification, session: SessionData) {
  const wait = await deps.limiter.check([
    ['wrongCodesPerPhone', pending.phone],
    ['resendCooldown', pending.phone],
  ]);
  return new SignInFailure('too_many_attempts', session, { retryAfter: wait ?? 1 });
}

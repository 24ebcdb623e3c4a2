import type { SignedInResponse } from '@/lib/api-contract';
import { asciiDigits } from '@/lib/digits';
import { ApiError, SignInFailure } from '../../errors';
import { enforce } from '../limits';
import { signedIn } from '../signed-in';
import { countVerified } from '../abuse/guard';
import { attemptHits } from './limit-hits';
import { isExpired, secondsLeft } from './pending-verification';
import type { Outcome, PendingVerification, SessionData } from '../ports';
import type { CheckResult, SmsSignInDeps } from './ports';
import { callProvider, refuseLikeProvider } from './provider-refusals';

/**
 * Checks the code against the pending verification in the cookie (never an id from the request),
 * and on success swaps it for a Directus credential for this device. Each try is reserved before Plivo is
 * asked, per code and client and per code for everyone, so neither parallel requests, a replayed
 * cookie nor a repeat start earn more tries (NIST SP 800-63B-4 §3.1.3.2). Wrong codes typed by
 * others do not lock the owner out: their tries are their own.
 */
export async function verifyCode(
  deps: SmsSignInDeps,
  session: SessionData,
  input: { code: string; ip: string; userAgent: string | null },
): Promise<Outcome<SignedInResponse>> {
  const pending = session.pending;
  if (!pending) throw new ApiError('no_pending_verification');
  const withoutPending: SessionData = { user: session.user };
  if (isExpired(deps, pending)) throw new SignInFailure('code_expired', withoutPending);
  // This client's verifies and this try at the code, counted in one round trip, all or none;
  // only a refusal asks which of them is used up.
  const attempt = attemptHits(pending.codeId, input.ip);
  if ((await deps.limiter.take([...attempt, ['verifiesPerIp', input.ip]])) !== undefined) {
    await enforce(deps, [['verifiesPerIp', input.ip, 'check']]);
    throw tooManyAttempts(deps, pending, withoutPending);
  }
  const result = await check(deps, pending, asciiDigits(input.code).replace(/[\s-]/g, '')).catch(async (error: unknown) => {
    await deps.limiter.giveBack(attempt); // nobody looked at this code
    throw error;
  });
  if (result === 'expired') throw new SignInFailure('code_expired', withoutPending);
  if (result === 'wrong_code') {
    const left = Math.min(...(await Promise.all(attempt.map((hit) => deps.limiter.remaining(hit)))));
    if (left <= 0) throw tooManyAttempts(deps, pending, withoutPending);
    throw new ApiError('invalid_code', { attemptsLeft: left });
  }

  // A right code costs the person no try; and single use in our own store, whatever Plivo would
  // say to a second validation. Independent, so sent together.
  const [, spent] = await Promise.all([deps.limiter.giveBack(attempt.slice(0, 1)), deps.codes.spend(pending.codeId)]);
  if (!spent) throw new SignInFailure('code_expired', withoutPending);
  const signedInAt = deps.clock.now();
  // The code is spent: whatever Directus answers, the next start gets a new one, so its window
  // closes while Directus issues (a round trip off the wait).
  const [issued] = await Promise.all([
    deps.credentials.issue({
      proof: { method: 'sms', phone: pending.phone, codeId: pending.codeId, memberId: pending.userId, signUp: pending.newcomer === 1 },
      ip: input.ip,
      userAgent: input.userAgent,
      signedInAt,
    }),
    deps.codes.close(pending.phone),
  ]);
  // Refused: the member was deactivated meanwhile (or Directus saw this code used already).
  if (!issued) throw new SignInFailure('code_expired', withoutPending);
  await countVerified(deps, pending.phone);
  return signedIn(deps, issued, signedInAt);
}

/** Asks Plivo, except where there is nothing to ask: those paths wait as long as asking takes. */
async function check(deps: SmsSignInDeps, pending: PendingVerification, code: string): Promise<CheckResult> {
  if (!/^\d{4,8}$/.test(code)) return 'wrong_code';
  if (pending.decoy) {
    const since = deps.pacer.mark();
    await refuseLikeProvider(deps, undefined, since);
    await deps.pacer.imitate('verify', since);
    return 'wrong_code';
  }
  // Strangers' codes are always wrong, so only wrong-code checks are theirs to imitate.
  const ask = () => callProvider(deps, undefined, () => deps.verifier.checkCode(pending.codeId, code));
  return deps.pacer.measure('verify', pending.phone, ask, (r) => r === 'wrong_code');
}

/** This code is over for this client; a fresh one can be sent once it dies. */
function tooManyAttempts(deps: SmsSignInDeps, pending: PendingVerification, session: SessionData) {
  return new SignInFailure('too_many_attempts', session, {
    retryAfter: Math.max(1, secondsLeft(deps, pending)),
  });
}

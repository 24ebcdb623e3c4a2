import type { SignedInResponse } from '@/lib/api-contract';
import { AuthError } from '../errors';
import type { PendingVerification, SessionData } from '../session';
import { isExpired, type Outcome, type SignInDeps } from './context';

/**
 * Checks the code against the pending verification in the cookie (never an id from the request),
 * and on success swaps it for a fresh Directus credential.
 */
export async function verifyCode(
  deps: SignInDeps,
  session: SessionData,
  rawCode: string,
): Promise<Outcome<SignedInResponse>> {
  const pending = session.pending;
  if (!pending) throw new AuthError('no_pending_verification');
  const withoutPending: SessionData = { user: session.user };
  if (isExpired(deps, pending)) throw failure('code_expired', withoutPending);
  if (pending.attempts >= deps.policy.maxAttempts) throw failure('too_many_attempts', withoutPending);

  const code = rawCode.replace(/[\s-]/g, '');
  const result = !/^\d{4,8}$/.test(code) || pending.decoy ? 'wrong_code' : await deps.verifier.checkCode(pending.sessionUuid, code);
  if (result === 'expired') throw failure('code_expired', withoutPending);
  if (result === 'wrong_code') throw wrongCode(deps, session, pending);

  const token = deps.random.token();
  const expiresAt = new Date(deps.clock.now() + deps.policy.sessionMaxAgeSeconds * 1000);
  const user = await deps.directory.issueToken(pending.userId, pending.sessionUuid, token, expiresAt);
  // No match: the verification was used already, or the member was deactivated meanwhile.
  if (!user) throw failure('code_expired', withoutPending);
  return {
    session: { user: { id: user.id, token } },
    body: { status: 'signed_in', user, redirectTo: deps.policy.homePath },
  };
}

function wrongCode(deps: SignInDeps, session: SessionData, pending: PendingVerification) {
  const attempts = pending.attempts + 1;
  const attemptsLeft = deps.policy.maxAttempts - attempts;
  if (attemptsLeft <= 0) return failure('too_many_attempts', { user: session.user });
  return failure('invalid_code', { ...session, pending: { ...pending, attempts } }, { attemptsLeft });
}

/** A refusal that also changes the session (a counted attempt, a dropped verification). */
export class SignInFailure extends AuthError {
  constructor(
    code: ConstructorParameters<typeof AuthError>[0],
    readonly session: SessionData,
    extra?: ConstructorParameters<typeof AuthError>[1],
  ) {
    super(code, extra);
  }
}

function failure(...args: ConstructorParameters<typeof SignInFailure>) {
  return new SignInFailure(...args);
}

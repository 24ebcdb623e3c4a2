import type { CodeSentResponse } from '@/lib/api-contract';
import { AuthError } from '../errors';
import type { PendingVerification, SessionData } from '../session';
import type { SignInPolicy } from './policy';
import type { Clock, Directory, LimitHit, Limiter, Pacer, Random, Verifier } from './ports';

export type SignInDeps = {
  directory: Directory;
  verifier: Verifier;
  limiter: Limiter;
  pacer: Pacer;
  clock: Clock;
  random: Random;
  policy: SignInPolicy;
};

/** What a use-case hands back: the session to store and the body to answer with. */
export type Outcome<T> = { session: SessionData; body: T };

export function secondsLeft(deps: SignInDeps, pending: PendingVerification) {
  const elapsed = (deps.clock.now() - pending.startedAt) / 1000;
  return Math.max(0, Math.ceil(deps.policy.codeTtlSeconds - elapsed));
}

export function isExpired(deps: SignInDeps, pending: PendingVerification) {
  return secondsLeft(deps, pending) === 0;
}

export function codeSent(deps: SignInDeps, pending: PendingVerification, international: string): CodeSentResponse {
  return {
    status: 'code_sent',
    phone: international,
    channel: pending.channel,
    resendAfter: deps.policy.resendAfterSeconds,
    expiresIn: secondsLeft(deps, pending),
  };
}

/** Counts the hits, or refuses with `rate_limited` and the seconds to wait. */
export async function enforce(deps: SignInDeps, hits: readonly LimitHit[]) {
  const wait = await deps.limiter.take(hits);
  if (wait !== undefined) throw new AuthError('rate_limited', { retryAfter: wait });
}

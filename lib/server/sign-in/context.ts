import type { CodeSentResponse } from '@/lib/api-contract';
import { AuthError } from '../errors';
import type { PendingVerification, SessionData } from '../session';
import type { SignInPolicy } from './policy';
import type { Clock, CodeLedger, CodeWindow, Credentials, DeliveryReports, Directory, LimitHit, Limiter, Pacer, ProviderRefusals, Random, SharedRefresh, Verifier } from './ports';

export type SignInDeps = {
  directory: Directory;
  credentials: Credentials;
  refreshes: SharedRefresh;
  verifier: Verifier;
  limiter: Limiter;
  codes: CodeLedger;
  providerRefusals: ProviderRefusals;
  deliveries: DeliveryReports;
  pacer: Pacer;
  clock: Clock;
  random: Random;
  policy: SignInPolicy;
};

/** What a use-case hands back: the session to store and the body to answer with. */
export type Outcome<T> = { session: SessionData; body: T };

/** Seconds until a code dies: its lifetime counts from the first send, as Plivo's does. */
export function secondsLeft(deps: SignInDeps, code: Pick<CodeWindow, 'startedAt'>) {
  const elapsed = (deps.clock.now() - code.startedAt) / 1000;
  return Math.max(0, Math.ceil(deps.policy.codeTtlSeconds - elapsed));
}

export function isExpired(deps: SignInDeps, code: Pick<CodeWindow, 'startedAt'>) {
  return secondsLeft(deps, code) === 0;
}

/** What one guess at a code counts against: this client's tries at it, and everyone's. */
export function attemptHits(codeId: string, ip: string): LimitHit[] {
  return [
    ['attemptsPerCodeAndClient', `${codeId} ${ip}`],
    ['checksPerCode', codeId],
  ];
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

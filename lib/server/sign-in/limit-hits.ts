import { ApiError } from '../errors';
import type { LimitHit, SignInDeps } from './ports';

// What each step counts against which limit (the numbers are the limiter's configuration).

/** What every code sent to a number counts against, whether or not anyone owns it. */
export function sendHits(phone: string, ip: string): LimitHit[] {
  return [
    ['resendCooldown', phone],
    ['codesPerPhoneHour', phone],
    ['codesPerPhoneDay', phone],
    ['sendsPerIp', ip],
  ];
}

/** What one guess at a code counts against: this client's tries at it, and everyone's. */
export function attemptHits(codeId: string, ip: string): LimitHit[] {
  return [
    ['attemptsPerCodeAndClient', `${codeId} ${ip}`],
    ['checksPerCode', codeId],
  ];
}

/** Counts the hits, or refuses with `rate_limited` and the seconds to wait. */
export async function enforce(deps: SignInDeps, hits: readonly LimitHit[]) {
  const wait = await deps.limiter.take(hits);
  if (wait !== undefined) throw new ApiError('rate_limited', { retryAfter: wait });
}

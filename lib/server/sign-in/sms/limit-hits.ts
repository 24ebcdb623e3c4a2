import type { LimitHit } from '../ports';

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

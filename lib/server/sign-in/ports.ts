import type { Channel, UserProfile } from '@/lib/api-contract';

// The sign-in use-cases see the outside world only through these small ports.

export type CheckResult = 'verified' | 'wrong_code' | 'expired';

/** The SMS verification provider (Plivo Verify). */
export interface Verifier {
  sendCode(recipient: string, channel: Channel): Promise<{ sessionUuid: string }>;
  checkCode(sessionUuid: string, code: string): Promise<CheckResult>;
  ping(): Promise<void>;
}

/** The user directory (Directus). */
export interface Directory {
  findActiveMemberByPhone(phone: string): Promise<{ id: string } | undefined>;
  setOtpSession(userId: string, sessionUuid: string): Promise<void>;
  /**
   * Writes the credential and clears the OTP session in one update, only while the OTP session
   * still matches; answers the member's profile, or undefined when nothing matched.
   */
  issueToken(userId: string, sessionUuid: string, token: string, expiresAt: Date): Promise<UserProfile | undefined>;
  /** The person's own profile read with their credential; undefined when Directus rejects it. */
  readProfile(token: string): Promise<UserProfile | undefined>;
  revokeToken(userId: string): Promise<void>;
  /** Nulls every credential whose expiry has passed; answers how many. */
  sweepExpiredTokens(now: Date): Promise<number>;
  ping(): Promise<void>;
}

export interface Clock {
  now(): number;
}

/** Every counter the sign-in keeps; the numbers live in the limiter's configuration. */
export type LimitRule =
  | 'resendCooldown'
  | 'codesPerPhoneHour'
  | 'codesPerPhoneDay'
  | 'sendsPerIp'
  | 'verifiesPerIp'
  | 'smsBudget'
  | 'wrongCodesPerPhone'
  | 'wrongCodesPerCode';

export type LimitHit = readonly [rule: LimitRule, key: string];

/** Counters shared by every instance of the app (Redis) or kept in this process (memory). */
export interface Limiter {
  /** Counts one against each rule, all or none; answers the seconds to wait if any is used up. */
  take(hits: readonly LimitHit[]): Promise<number | undefined>;
  /** The seconds to wait before `take` would succeed, without counting anything. */
  check(hits: readonly LimitHit[]): Promise<number | undefined>;
  /** How many more may be counted against a rule now. */
  remaining(hit: LimitHit): Promise<number>;
}

/**
 * Makes the paths that skip an upstream call (a number nobody owns) take as long as the paths
 * that make one, by waiting for a duration drawn from recent real calls.
 */
export interface Pacer {
  /** A point in time to imitate from. */
  mark(): number;
  /** Runs a real call and remembers how long it took. */
  measure<T>(kind: PacedCall, work: () => Promise<T>): Promise<T>;
  /** Returns when a real call begun at `since` would typically have finished. */
  imitate(kind: PacedCall, since: number): Promise<void>;
}

export type PacedCall = 'send' | 'check';

export interface Random {
  /** A credential: 32 bytes from a CSPRNG, base64url. */
  token(): string;
  /** A uuid that looks like a Directus id or a Plivo session id. */
  uuid(): string;
}

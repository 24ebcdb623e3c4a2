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
  /** Writes the credential while the member is still active; answers their profile, or undefined. */
  issueToken(userId: string, token: string, expiresAt: Date): Promise<UserProfile | undefined>;
  /** The person's own profile read with their credential; undefined when Directus rejects it. */
  readProfile(token: string): Promise<UserProfile | undefined>;
  /** Revokes this credential if it is still the member's live one, and nothing else. */
  revokeToken(userId: string, token: string): Promise<void>;
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
  /** Codes one client may try against one code (a Plivo session). */
  | 'attemptsPerCodeAndClient'
  /** Codes everyone together may try against one code. */
  | 'checksPerCode';

export type LimitHit = readonly [rule: LimitRule, key: string];

/** Counters shared by every instance of the app (Redis) or kept in this process (memory). */
export interface Limiter {
  /**
   * Counts one against each rule, all or none, atomically (parallel requests cannot pass a limit
   * together); answers the seconds to wait if any is used up.
   */
  take(hits: readonly LimitHit[]): Promise<number | undefined>;
  /** Gives back what `take` counted, for a reservation that turned out not to be spent. */
  giveBack(hits: readonly LimitHit[]): Promise<void>;
  /** The seconds to wait before `take` would succeed, without counting anything. */
  check(hits: readonly LimitHit[]): Promise<number | undefined>;
  /** How many more may be counted against a rule now. */
  remaining(hit: LimitHit): Promise<number>;
}

/**
 * The code a number has now. Plivo keeps one session, with one code, per number for the code's
 * lifetime: a repeat start within it delivers the same code again and does not extend it.
 */
export type CodeWindow = { codeId: string; startedAt: number };

/** What the sign-in remembers about codes, shared like the limiter's counters. */
export interface CodeLedger {
  /** The live window of a number (a member's or a stranger's alike). */
  current(phone: string): Promise<CodeWindow | undefined>;
  /** Remembers the window until it ends. */
  open(phone: string, window: CodeWindow): Promise<void>;
  close(phone: string): Promise<void>;
  /** Marks a code used; false when it was used already. Atomic across instances. */
  spend(codeId: string): Promise<boolean>;
}

/**
 * Makes the paths that skip an upstream call (a number nobody owns) take as long as the paths
 * that make one, by waiting for a duration drawn from recent real calls.
 */
export interface Pacer {
  /** A point in time to imitate from. */
  mark(): number;
  /**
   * Runs a real call for a number and remembers how long it took, when `keep` accepts its result.
   * Each number holds one sample (its latest), so nobody's own traffic can fill the samples.
   */
  measure<T>(kind: PacedCall, phone: string, work: () => Promise<T>, keep?: (result: T) => boolean): Promise<T>;
  /** Returns when a real call of this kind begun at `since` would typically have finished. */
  imitate(kind: PacedCall, since: number): Promise<void>;
}

/** Each step imitates its own kind of real call: a first send, a resend, a wrong-code check. */
export type PacedCall = 'start' | 'resend' | 'verify';

export interface Random {
  /** A credential: 32 bytes from a CSPRNG, base64url. */
  token(): string;
  /** A uuid that looks like a Directus id or a Plivo session id. */
  uuid(): string;
}

import type { Channel, DeliveryFailure, ErrorCode } from '@/lib/api-contract';
import type { Locale } from '@/lib/i18n/locales';
import type { AbuseGuards } from '../abuse/ports';
import type { SignInDeps } from '../ports';

// The ports of the SMS code method: the provider that sends and checks codes, and what the
// sign-in keeps about codes, deliveries and the provider's refusals.

/** What the SMS method's use-cases are handed: the shared ports and its own. */
export type SmsSignInDeps = SignInDeps & {
  verifier: Verifier;
  codes: CodeLedger;
  providerRefusals: ProviderRefusals;
  deliveries: DeliveryReports;
  pacer: Pacer;
  abuse: AbuseGuards;
};

export type CheckResult = 'verified' | 'wrong_code' | 'expired';

/** The SMS verification provider (Plivo Verify). */
export interface Verifier {
  /**
   * Delivers the number's code; the text or call speaks `locale` where the provider can, and
   * `delivery` names this send: the provider reports how it went under that name (DeliveryReports).
   */
  sendCode(recipient: string, channel: Channel, locale: Locale, delivery: string): Promise<{ codeId: string }>;
  /**
   * Whether the provider will report how a delivery to this recipient goes, where delivery
   * reports are on at all (the policy's `deliveryReports`); a test number's never reaches it.
   */
  reportsDelivery(recipient: string): boolean;
  checkCode(codeId: string, code: string): Promise<CheckResult>;
  ping(): Promise<void>;
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

/** A refusal by the SMS provider that holds for more numbers than one, as a real call met it. */
export type ProviderRefusal = {
  code: ErrorCode;
  retryAfter?: number;
  tookMs: number;
};

/**
 * What the SMS provider refuses everyone (an outage, its own rate limit, our configuration) or
 * every number of one country (its Geo Permissions), learnt from real calls and shared like the
 * limiter's counters, so that numbers nobody owns, which never reach it, are refused alike.
 */
export interface ProviderRefusals {
  /** The refusal in force for a number in `country` (or for any number, when undefined). */
  current(country: string | undefined): Promise<ProviderRefusal | undefined>;
  /** Remembers a refusal for a while: for every number, or every number of `country`. */
  remember(refusal: ProviderRefusal, country?: string): Promise<void>;
  /** A real call for a number in `country` went through: what held for everyone and for it is over. */
  forget(country: string | undefined): Promise<void>;
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
  /** Returns `ms` after `since`: imitates one known call (a failing one). */
  waitUntil(since: number, ms: number): Promise<void>;
}

/** Each step imitates its own kind of real call: a first send, a resend, a wrong-code check. */
export type PacedCall = 'start' | 'resend' | 'verify';

/** How one delivery of a code is doing, as a person is shown it. */
export type DeliveryState = { state: 'sending' | 'sent' | 'delivered' } | { state: 'failed'; reason: DeliveryFailure };

/** Which way a delivery goes: its channel, and the country of its number where known. */
export type DeliveryRoute = { channel: Channel; country: string | undefined };

/**
 * The latest state of each delivery (a send or resend of a code), kept in the shared store for the
 * code's lifetime so that every instance sees it. A state never goes back: a delivered (or failed)
 * text stays so whatever report arrives late.
 */
export interface DeliveryReports {
  /**
   * Opens the record of a delivery, before the provider is asked (its reports can arrive before
   * its answer). `imitated`: nothing will report on it (a number nobody owns, or one the verifier
   * does not report on, a test number), so it follows by itself the course of a recent real
   * delivery on the same route.
   */
  expect(delivery: string, how: 'reported' | 'imitated', route: DeliveryRoute): Promise<void>;
  /** Applies a report; `unknown` when no open record has this name (over, or never ours). */
  report(delivery: string, state: DeliveryState): Promise<'recorded' | 'kept' | 'unknown'>;
  current(delivery: string): Promise<DeliveryState | undefined>;
  /** Remembers a report's nonce; false when it was seen before (a replay). */
  firstSighting(nonce: string): Promise<boolean>;
}

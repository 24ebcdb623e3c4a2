import type { BotCheckChallenge, Channel, DeliveryFailure, ErrorCode, UserProfile } from '@/lib/api-contract';
import type { Locale } from '@/lib/i18n/locales';
import type { Credential, SessionData, SignedIn } from '../session-seal';
import type { SignInPolicy } from './policy';

export type { Credential, PendingVerification, SessionData, SignedIn } from '../session-seal';

// The sign-in use-cases see the outside world only through these small ports.

/** Everything a use-case is handed: one adapter per port (lib/server/sign-in-deps.ts), and the policy. */
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
  abuse: AbuseGuards;
  clock: Clock;
  random: Random;
  policy: SignInPolicy;
};

/** What a use-case hands back: the session to store and the body to answer with. */
export type Outcome<T> = { session: SessionData; body: T };

export type CheckResult = 'verified' | 'wrong_code' | 'expired';

/** The SMS verification provider (Plivo Verify). */
export interface Verifier {
  /**
   * Delivers the number's code; the text or call speaks `locale` where the provider can, and
   * `delivery` names this send: the provider reports how it went under that name (DeliveryReports).
   */
  sendCode(recipient: string, channel: Channel, locale: Locale, delivery: string): Promise<{ sessionUuid: string }>;
  /**
   * Whether the provider will report how a delivery to this recipient goes, where delivery
   * reports are on at all (the policy's `deliveryReports`); a test number's never reaches it.
   */
  reportsDelivery(recipient: string): boolean;
  checkCode(sessionUuid: string, code: string): Promise<CheckResult>;
  ping(): Promise<void>;
}

/**
 * Who holds a phone: an active member (an opaque reference), or nobody who may sign in, where
 * `unclaimed` says that no user at all holds it (a newcomer could sign up with it).
 */
export type PhoneHolder = { member: { id: string } } | { member?: undefined; unclaimed: boolean };

/** Who may sign in (Directus): members looked up by phone. */
export interface Directory {
  findActiveMemberByPhone(phone: string): Promise<PhoneHolder>;
  /** A reference shaped like a member's, for a number nobody owns (cookies must look alike). */
  decoyMemberId(): string;
  ping(): Promise<void>;
}

/** One of a member's signed-in devices. */
export type Device = { id: string; userAgent: string | null; signedInAt: string | null; lastActiveAt: string | null; current: boolean };

/**
 * Issues, checks and ends Directus credentials. Two adapters: `session` (our Directus extension
 * issues ordinary sessions) and `static` (a static token on the member's row).
 */
export interface Credentials {
  /**
   * A credential for this device, for a member whose code Plivo has just verified; undefined when
   * that member may not sign in (any longer).
   */
  issue(request: {
    memberId: string;
    phone: string;
    plivoSessionUuid: string;
    ip: string;
    userAgent: string | null;
    signedInAt: number;
    /**
     * A newcomer (SIGN_UP=open): first make the phone a member with the member role, unless
     * someone holds it by now (then that member, if they may sign in); `memberId` is no one's.
     */
    signUp: boolean;
  }): Promise<{ credential: Credential; user: UserProfile } | undefined>;
  /** Writes the person's own first name; undefined when Directus no longer accepts their credential. */
  setFirstName(user: SignedIn, firstName: string): Promise<UserProfile | undefined>;
  /**
   * The Authorization header that makes a Directus request act as this person; undefined for a
   * credential this strategy did not issue (the setting changed since sign-in: signed out).
   */
  authorization(user: SignedIn): string | undefined;
  /** The person's own profile, read with their credential; undefined when Directus rejects it. */
  readProfile(user: SignedIn): Promise<UserProfile | undefined>;
  /** A fresh credential in place of one that is due; undefined when Directus refuses it. */
  refresh(credential: Credential, device: { userAgent: string | null }): Promise<Credential | undefined>;
  /** Ends this device's credential, and nothing else. */
  revoke(user: SignedIn): Promise<void>;
  /** Ends every other device's credential of this person. */
  revokeOthers(user: SignedIn): Promise<void>;
  /** This person's devices; undefined when the strategy has only one credential per person. */
  listDevices(user: SignedIn): Promise<Device[] | undefined>;
  /** Ends every credential whose lifetime has passed; answers how many. */
  sweep(now: Date): Promise<number>;
}

/** Refreshes shared by the requests (and app instances) that hold the same credential at once. */
export interface SharedRefresh {
  /** Runs `refresh` once for this credential and hands every caller within a short grace period its result. */
  once(credential: Credential, refresh: () => Promise<Credential | undefined>): Promise<Credential | undefined>;
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

/** A rule and what it counts; `check`: checked with the others, never counted (nor given back). */
export type LimitHit = readonly [rule: LimitRule, key: string, mode?: 'check'];

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

/** A refusal by the SMS provider that holds for more numbers than one, as a real call met it. */
export type ProviderRefusal = { code: ErrorCode; retryAfter?: number; tookMs: number };

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

export interface Random {
  /** A uuid that looks like a Directus id or a Plivo session id. */
  uuid(): string;
}

/** How one delivery of a code is doing, as a person is shown it. */
export type DeliveryState = { state: 'sending' | 'sent' | 'delivered' } | { state: 'failed'; reason: DeliveryFailure };

/** Which way a delivery goes: its channel, and the country of its number where known. */
export type DeliveryRoute = { channel: Channel; country: string | undefined };

/**
 * The latest state of each delivery (a send or resend of a code), kept in the limit store for the
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

// Open sign-up's defences against SMS pumping (lib/server/sign-in/abuse/): a proof-of-work check
// and a conversion breaker, over the shared store (lib/server/abuse-store.ts).

/** How hard a proof-of-work challenge is: `raised` for a route whose codes are seldom used. */
export type BotCheckLevel = 'standard' | 'raised';

/** Why a proof-of-work solution was not accepted. */
export type BotCheckRefusal = 'invalid' | 'expired' | 'replayed' | 'too_easy';

/** A route codes go to: a country's calling code, or a number's first digits. */
export type Route = { kind: 'country' | 'prefix'; digits: string };

/** Codes handed out to a route, and how many of them were used to sign in, over the window. */
export type Conversion = { sends: number; verified: number };

/** The proof-of-work check (ALTCHA): challenges signed by us, each solution accepted once. */
export interface ProofOfWork {
  challenge(level: BotCheckLevel): Promise<BotCheckChallenge>;
  /** Checks a solution for this level; undefined when it is accepted (and now spent). */
  verify(solution: string, level: BotCheckLevel): Promise<BotCheckRefusal | undefined>;
}

/** Counters and trips of the conversion breaker, shared by every instance. */
export interface ConversionCounters {
  /** Counts one code handed out on each route, and from this client address when given. */
  countSend(routes: readonly Route[], ip: string | undefined): Promise<void>;
  countVerified(routes: readonly Route[]): Promise<void>;
  /** Each route's sends and verifications over the sliding window. */
  read(routes: readonly Route[]): Promise<Conversion[]>;
  /** Codes handed out from this client address over the window. */
  clientSends(ip: string): Promise<number>;
  /** Pauses a route for `ms` and forgets its counts; false when it was paused already. */
  trip(route: Route, ms: number): Promise<boolean>;
  /** The ms each route is still paused for (0: not paused), and whether it was tripped lately. */
  paused(routes: readonly Route[]): Promise<Array<{ ms: number; tripped: boolean }>>;
  /** Marks a trip's cool-down over; true only for the first caller after it passed. */
  recover(route: Route): Promise<boolean>;
}

/** Where a trip or a recovery is told: the log, and the optional alert webhook. */
export interface AbuseAlerts {
  tell(event: { event: 'breaker_trip' | 'breaker_recovery'; route: Route } & Conversion): Promise<void>;
}

/** The defences' settings (lib/server/env.ts; README, "Open sign-up"). */
export type AbusePolicy = {
  /** `auto`: where the breaker asks for it, or for a client address past `botCheckAfterClientSends`. */
  botCheck: 'off' | 'auto' | 'always';
  botCheckAfterClientSends: number;
  /** Whether the breaker counts and trips (SIGN_UP=open). */
  breaker: boolean;
  prefixDigits: number;
  /** A route's sends over the window from which a low conversion asks for the raised check. */
  checkAfterSends: number;
  /** ... and from which it pauses the route. */
  pauseAfterSends: number;
  /** The share of codes used (0-1) below which a route counts as seldom used. */
  minConversion: number;
  cooldownMs: number;
};

export type AbuseGuards = { proofOfWork: ProofOfWork; counters: ConversionCounters; alerts: AbuseAlerts; policy: AbusePolicy };

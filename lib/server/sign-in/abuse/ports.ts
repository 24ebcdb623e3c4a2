import type { BotCheckChallenge } from '@/lib/api-contract';
import type { SignInDeps } from '../ports';

// Open sign-up's defences against SMS pumping: a proof-of-work check and a conversion breaker,
// over the shared store (lib/server/store/abuse.ts).

/** What the defences are handed: the shared ports and their own. */
export type AbuseDeps = SignInDeps & { abuse: AbuseGuards };

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
  tell(
    event: {
      event: 'breaker_trip' | 'breaker_recovery';
      route: Route;
    } & Conversion,
  ): Promise<void>;
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

export type AbuseGuards = {
  proofOfWork: ProofOfWork;
  counters: ConversionCounters;
  alerts: AbuseAlerts;
  policy: AbusePolicy;
};

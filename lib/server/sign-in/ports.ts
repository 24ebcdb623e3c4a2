import type { PasskeyCredentialJson, UserProfile } from '@/lib/api-contract';
import type { SignInPolicy } from './policy';
import type { HeldCredential, SessionData, SignedIn } from './session-data';

export type { HeldCredential, PasskeyCeremony, PendingVerification, SessionData, SignedIn } from './session-data';

// The sign-in use-cases see the outside world only through these small ports: here the ones every
// sign-in method shares; a method's own ports live in its folder.

/**
 * What every sign-in method's use-cases are handed: one adapter per port (lib/server/sign-in-deps.ts),
 * and the policy. A method adds its own ports beside these (sms/ports.ts).
 */
export type SignInDeps = {
  directory: Directory;
  credentials: CredentialStrategy;
  refreshes: SharedRefresh;
  limiter: Limiter;
  clock: Clock;
  random: Random;
  policy: SignInPolicy;
};

/** What a use-case hands back: the session to store and the body to answer with. */
export type Outcome<T> = { session: SessionData; body: T };

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
 * issues ordinary sessions) and `static` (a static token on the member's row). What only one of
 * them can do is an optional capability: a caller checks that the strategy has it.
 */
export interface CredentialStrategy {
  /**
   * A credential for this device, for a member whose sign-in method has just proved them (`proof`,
   * which the strategy may check again upstream); undefined when that member may not sign in (any
   * longer), or when this strategy cannot issue on that kind of proof.
   */
  issue(request: {
    proof: SignInProof;
    ip: string;
    userAgent: string | null;
    signedInAt: number;
  }): Promise<{ credential: HeldCredential; user: UserProfile } | undefined>;
  /** Writes the person's own first name; undefined when Directus no longer accepts their credential. */
  setFirstName(user: SignedIn, firstName: string): Promise<UserProfile | undefined>;
  /**
   * The Authorization header that makes a Directus request act as this person; undefined for a
   * credential this strategy did not issue (the setting changed since sign-in: signed out).
   */
  authorization(user: SignedIn): string | undefined;
  /** The person's own profile, read with their credential; undefined when Directus rejects it. */
  readProfile(user: SignedIn): Promise<UserProfile | undefined>;
  /** Ends this device's credential, and nothing else. */
  revoke(user: SignedIn): Promise<void>;
  /**
   * Where credentials expire of themselves (`refreshAt`): a fresh credential in place of one that
   * is due; undefined when Directus refuses it.
   */
  refresh?(credential: HeldCredential, device: { userAgent: string | null }): Promise<HeldCredential | undefined>;
  /** Where a person holds one credential per device: those devices. */
  devices?: PersonDevices;
  /** Where Directus does not end expired credentials itself: ends them; answers how many. */
  sweep?(now: Date): Promise<number>;
}

/**
 * How a sign-in method proved who is signing in. Each method adds its own kind; a strategy that
 * cannot issue on a kind's proof refuses it (undefined).
 */
export type SignInProof =
  | {
      method: 'sms';
      /** The phone the code went to: who holds it is judged again at issue. */
      phone: string;
      /** The provider's id of the verified code (a Plivo Verify session), which the extension asks Plivo about. */
      codeId: string;
      /** The member the directory found for the phone when the code was sent (a decoy's reference for nobody). */
      memberId: string;
      /**
       * A newcomer (SIGN_UP=open): first make the phone a member with the member role, unless
       * someone holds it by now (then that member, if they may sign in); `memberId` is no one's.
       */
      signUp: boolean;
    }
  | {
      method: 'passkey';
      /** The ceremony the extension started for this device (kept in its cookie since the options). */
      ceremony: string;
      /** The browser's answer, which the extension verifies against that ceremony's challenge. */
      response: PasskeyCredentialJson;
    };

/** A person's credentials on their other devices. */
export interface PersonDevices {
  /** This person's devices, this one marked. */
  list(user: SignedIn): Promise<Device[]>;
  /** Ends every other device's credential of this person. */
  revokeOthers(user: SignedIn): Promise<void>;
}

/** Refreshes shared by the requests (and app instances) that hold the same credential at once. */
export interface SharedRefresh {
  /** Runs `refresh` once for this credential and hands every caller within a short grace period its result. */
  once(credential: HeldCredential, refresh: () => Promise<HeldCredential | undefined>): Promise<HeldCredential | undefined>;
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
  | 'checksPerCode'
  /** Passkey ceremonies one client starts (sign-in and add). */
  | 'passkeyOptionsPerIp'
  /** Passkey sign-ins one client tries. */
  | 'passkeySignInsPerIp';

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

export interface Random {
  /** A uuid that looks like a Directus id or a Plivo session id. */
  uuid(): string;
}

import type { Passkey, PasskeyCredentialJson, PasskeyOptionsJson } from '@/lib/api-contract';
import type { SignedIn, SignInDeps } from '../ports';

// The ports of the passkey method. The ceremonies (their challenges, the verification) are the
// Directus extension's: the app keeps only each ceremony's opaque id in the person's cookie and
// relays the browser's answer. A sign-in itself is the strategy's `issue` on a passkey proof.

/** What the passkey method's use-cases are handed: the shared ports and its own. */
export type PasskeySignInDeps = SignInDeps & {
  /** Absent where the credential strategy has no passkeys (`static`): the method is off. */
  passkeys: Passkeys | undefined;
};

/** A ceremony the extension started: its id (for the cookie) and the options for the browser. */
export type StartedCeremony = { ceremony: string; options: PasskeyOptionsJson };

/**
 * The passkey ceremonies of the relying party (the `session` strategy's Directus extension).
 * Answers undefined where Directus no longer accepts the person's credential (signed out); throws
 * `passkeys_unavailable` where the extension has passkeys off, `recent_sign_in_required`,
 * `passkey_not_added` and `passkey_not_found` for its named refusals.
 */
export interface Passkeys {
  /** A usernameless sign-in: the browser offers whichever passkey it holds for the site. */
  signInOptions(): Promise<StartedCeremony>;
  /** Adding a passkey to the signed-in person, whose credential must come from a recent SMS sign-in. */
  registerOptions(user: SignedIn): Promise<StartedCeremony | undefined>;
  register(
    user: SignedIn,
    answer: { ceremony: string; response: PasskeyCredentialJson; name: string | null },
  ): Promise<Passkey | undefined>;
  list(user: SignedIn): Promise<Passkey[] | undefined>;
  rename(user: SignedIn, id: string, name: string): Promise<Passkey | undefined>;
  /** True when removed. */
  remove(user: SignedIn, id: string): Promise<boolean | undefined>;
}

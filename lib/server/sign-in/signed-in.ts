import type { SignedInResponse, UserProfile } from '@/lib/api-contract';
import type { HeldCredential, Outcome, SignInDeps } from './ports';

/**
 * The session and answer of a sign-in the strategy has issued, whichever method proved it: who is
 * signed in on this device and since when, and where to go; a newcomer (or a member signed up
 * before who never gave one) is asked for a first name first. Nothing else is kept (no code or
 * passkey ceremony under way).
 */
export function signedIn(
  deps: SignInDeps,
  issued: { user: UserProfile; credential: HeldCredential },
  signedInAt: number,
): Outcome<SignedInResponse> {
  const { user, credential } = issued;
  const needsFirstName = deps.policy.signUp && !user.first_name?.trim();
  return {
    session: {
      user: {
        id: user.id,
        signedInAt,
        credential,
        ...(needsFirstName ? { needsFirstName: 1 as const } : {}),
      },
    },
    body: {
      status: 'signed_in',
      user,
      redirectTo: needsFirstName ? deps.policy.welcomePath : deps.policy.homePath,
    },
  };
}

import type { SignedOutResponse } from '@/lib/api-contract';
import type { Outcome, SessionData, SignInDeps } from './ports';

/**
 * Revokes the Directus credential this cookie holds (never another device's) and empties the
 * session. Signing out always succeeds for the person; `revokeFailed` lets the caller log a
 * credential that may still be live in Directus.
 */
export async function signOut(deps: SignInDeps, session: SessionData): Promise<Outcome<SignedOutResponse> & { revokeFailed?: unknown }> {
  const outcome = { session: {}, body: { status: 'signed_out' as const } };
  if (!session.user) return outcome;
  try {
    await deps.credentials.revoke(session.user);
    return outcome;
  } catch (error) {
    return { ...outcome, revokeFailed: error };
  }
}

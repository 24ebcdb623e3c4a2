import type { UserProfile } from '@/lib/api-contract';
import type { SessionData, SignInDeps } from './ports';

/**
 * The signed-in person's profile, read from Directus with their own credential. A credential
 * Directus no longer accepts (revoked, expired, member suspended) ends the session.
 */
export async function loadProfile(
  deps: SignInDeps,
  session: SessionData,
): Promise<{ user: UserProfile | undefined; session: SessionData }> {
  if (!session.user) return { user: undefined, session };
  const user = await deps.credentials.readProfile(session.user);
  return user ? { user, session } : { user: undefined, session: { pending: session.pending } };
}

import type { SessionData } from '../session';
import type { SignInDeps } from './context';

/**
 * The session with a credential good for the next request: past the absolute lifetime of a
 * sign-in it is ended, and a credential due for a refresh is refreshed (once, however many
 * requests of this device ask at the same time). A refresh Directus refuses means signed out.
 */
export async function keepSignedIn(deps: SignInDeps, session: SessionData, device: { userAgent: string | null }): Promise<SessionData> {
  const user = session.user;
  if (!user) return session;
  const signedOut = { pending: session.pending };
  const now = deps.clock.now();
  if (now - user.signedInAt >= deps.policy.sessionMaxAgeSeconds * 1000) {
    await deps.credentials.revoke(user).catch(() => undefined); // its lifetime is over either way
    return signedOut;
  }
  const { credential } = user;
  // Only credentials with an expiry of their own (Directus sessions) are ever due.
  if (!('refreshAt' in credential) || now < credential.refreshAt) return session;
  const fresh = await deps.refreshes.once(credential, () => deps.credentials.refresh(credential, device));
  return fresh ? { ...session, user: { ...user, credential: fresh } } : signedOut;
}

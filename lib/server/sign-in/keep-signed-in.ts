import type { SessionData, SignInDeps } from './ports';

/**
 * The session with a credential good for the next request: past the absolute lifetime of a
 * sign-in it is ended, and a credential due for a refresh is refreshed (once, however many
 * requests of this device ask at the same time). A refresh Directus refuses means signed out.
 */
export async function keepSignedIn(deps: SignInDeps, session: SessionData, device: { userAgent: string | null }): Promise<SessionData> {
  const user = session.user;
  const due = dueFor(deps, session);
  if (!user || !due) return session;
  const signedOut = { pending: session.pending };
  if (due === 'end') {
    await deps.credentials.revoke(user).catch(() => undefined); // its lifetime is over either way
    return signedOut;
  }
  const { credential } = user;
  const { refresh } = deps.credentials;
  // A strategy whose credentials never expire of themselves leaves one from the other as it is.
  if (!refresh) return session;
  const fresh = await deps.refreshes.once(credential, () => refresh(credential, device));
  return fresh ? { ...session, user: { ...user, credential: fresh } } : signedOut;
}

/** What keepSignedIn would do to this session now: end it, refresh its credential, or nothing. */
function dueFor(deps: SignInDeps, session: SessionData): 'end' | 'refresh' | undefined {
  const user = session.user;
  if (!user) return undefined;
  const now = deps.clock.now();
  if (now - user.signedInAt >= deps.policy.sessionMaxAgeSeconds * 1000) return 'end';
  // Only credentials with an expiry of their own (Directus sessions) are ever due.
  return 'refreshAt' in user.credential && now >= user.credential.refreshAt ? 'refresh' : undefined;
}

/**
 * The session for a caller that cannot store a refreshed credential (a server component): as it
 * is, unless the absolute lifetime of the sign-in is over.
 */
export function usableAsStored(deps: SignInDeps, session: SessionData): SessionData {
  return dueFor(deps, session) === 'end' ? { pending: session.pending } : session;
}

import 'server-only';

import { headers } from 'next/headers';

import { clientDevice } from './client-ip';
import { readSession, writeSession, type SessionData } from './session';
import { getSignInDeps } from './sign-in-deps';
import { dueFor, keepSignedIn } from './sign-in/keep-signed-in';
import type { SignedIn } from './sign-in/ports';

/** Who is signed in on this request, and the Authorization header that acts as them in Directus. */
export type Person = { user: SignedIn; authorization: string };

/**
 * The signed-in person of this request, with a credential good to use now, or undefined. Where
 * the cookie can be written (route handlers, server actions) a due credential is refreshed here
 * and the cookie renewed. Server components cannot set cookies, and never refresh: a refresh
 * rotates the credential, and the cookie would keep the old one. For pages proxy.ts has
 * refreshed it already; one it could not refresh still works until it expires.
 */
export async function signedInPerson(): Promise<Person | undefined> {
  const deps = getSignInDeps();
  let session = await readSession();
  const due = dueFor(deps, session);
  if (due && (await cookieWritable(session))) {
    session = await keepSignedIn(deps, session, clientDevice(await headers()));
    await writeSession(session);
  } else if (due === 'end') {
    return undefined;
  }
  const authorization = session.user && deps.credentials.authorization(session.user);
  return authorization ? { user: session.user!, authorization } : undefined;
}

/**
 * Directus no longer accepts this device's credential: it is signed out. The cookie is cleared
 * where it can be (route handlers, server actions); in a server component the next API call does.
 */
export async function endSignIn(): Promise<void> {
  const session = await readSession();
  if (session.user) await writeSession({ pending: session.pending }).catch(() => undefined);
}

/** Writing the session back unchanged succeeds only where cookies may be set. */
async function cookieWritable(session: SessionData): Promise<boolean> {
  try {
    await writeSession(session);
    return true;
  } catch {
    return false;
  }
}

import 'server-only';

import { headers } from 'next/headers';

import { clientDevice } from '../client-ip';
import { getSignInDeps } from '../sign-in-deps';
import type { SignedIn } from '../sign-in/session-data';
import { openSession, requestCookies, type CookieCaller } from './cookie';

/** Who is signed in on this request, and the Authorization header that acts as them in Directus. */
export type Person = { user: SignedIn; authorization: string };

/**
 * The signed-in person of this request, with a credential good to use now, or undefined. Where
 * the cookie can be written (route handlers, server actions) a due credential is refreshed here
 * and the cookie renewed. Server components cannot set cookies, and never refresh: a refresh
 * rotates the credential, and the cookie would keep the old one. For pages proxy.ts has
 * refreshed it already; one it could not refresh still works until it expires.
 */
export async function signedInPerson(caller: CookieCaller): Promise<Person | undefined> {
  const cookie = await openSession(await requestCookies(caller));
  const session = await cookie.keepSignedIn(clientDevice(await headers()));
  await cookie.commit(session);
  const { user } = session;
  const authorization = user && getSignInDeps().credentials.authorization(user);
  return user && authorization ? { user, authorization } : undefined;
}

/**
 * Directus no longer accepts this device's credential: it is signed out. The cookie is cleared
 * where it can be (route handlers, server actions); in a server component the next API call does.
 */
export async function endSignIn(caller: CookieCaller): Promise<void> {
  const cookie = await openSession(await requestCookies(caller));
  if (cookie.stored.user) await cookie.commit({ pending: cookie.stored.pending });
}

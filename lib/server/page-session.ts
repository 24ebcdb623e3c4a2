import 'server-only';

import { clientDevice } from './client-ip';
import { getEnv } from './env';
import { ApiError } from './errors';
import { sessionCookie, sessionSealer } from './session-seal';
import { getSignInDeps } from './sign-in-deps';
import { keepSignedIn } from './sign-in/keep-signed-in';

type CookieJar = { get(name: string): { value: string } | undefined };

/** A new value for the session cookie (null: remove it), with the attributes to set it with. */
export type RenewedCookie = {
  name: string;
  value: string | null;
  options: ReturnType<typeof sessionCookie>['options'] & { maxAge: number };
};

/** For proxy.ts: a newcomer who has not given a first name yet is sent to that step first. */
export async function needsFirstName(cookies: CookieJar): Promise<boolean> {
  const env = getEnv();
  const session = await sessionSealer(env).open(cookies.get(sessionCookie(env).name)?.value);
  return session.user?.needsFirstName === 1;
}

/**
 * For proxy.ts: server components cannot set cookies, so a page navigation refreshes a credential
 * that is due before the page renders, and the page reads the renewed cookie. Answers undefined
 * when nothing changes, or when Directus cannot be reached (the page then says so itself).
 */
export async function renewSessionCookie(cookies: CookieJar, headers: Headers): Promise<RenewedCookie | undefined> {
  const env = getEnv();
  const { name, options, ttl } = sessionCookie(env);
  const sealed = cookies.get(name)?.value;
  if (!sealed) return undefined;
  const sealer = sessionSealer(env);
  const session = await sealer.open(sealed);
  let kept;
  try {
    kept = await keepSignedIn(getSignInDeps(), session, clientDevice(headers));
  } catch (error) {
    if (error instanceof ApiError) return undefined;
    throw error;
  }
  if (kept === session) return undefined;
  const value = kept.user || kept.pending ? await sealer.seal(kept) : null;
  return { name, value, options: { ...options, maxAge: value ? ttl : 0 } };
}

import 'server-only';

import { cookies } from 'next/headers';

import { getEnv } from '../env';
import { getSignInDeps } from '../sign-in-deps';
import { keepSignedIn, usableAsStored } from '../sign-in/keep-signed-in';
import type { SessionData } from '../sign-in/session-data';
import { sessionCookie, sessionSealer } from './seal';

// The one path of the signed-in person's cookie: open it (unreadable is signed out), keep the
// person signed in (a due credential refreshed, where the caller may write the cookie), and commit
// what the request ends with. Whether the caller may write is said by the caller, never probed.

/** A new value of the session cookie (null: remove it), with the attributes to set it with. */
export type SessionCookieValue = {
  name: string;
  value: string | null;
  options: ReturnType<typeof sessionCookie>['options'] & { maxAge: number };
};

/**
 * How a caller holds the request's cookies: it can always read them; `write` is there only where
 * it may set them (route handlers, server actions, the proxy), never in a server component.
 */
export type CookieAccess = { read(name: string): string | undefined; write?: (cookie: SessionCookieValue) => void };

/** Who opens the cookie through Next's cookies(): only server components may not write it. */
export type CookieCaller = 'route-handler' | 'server-action' | 'server-component';

export type OpenSession = {
  /** The session as the cookie holds it. */
  readonly stored: SessionData;
  /**
   * The session with a credential good for this request: past the absolute lifetime it is signed
   * out, and a credential due for a refresh is refreshed where the caller may write the cookie.
   * A refresh rotates the credential, so a caller that cannot keep the new one uses the old one,
   * which still works until it expires.
   */
  keepSignedIn(device: { userAgent: string | null }): Promise<SessionData>;
  /** Stores `next` where the caller may write the cookie, when it is not what the cookie holds. */
  commit(next: SessionData): Promise<void>;
};

/** Opens the session cookie once; anything unreadable (tampered, expired, old shape) is signed out. */
export async function openSession(access: CookieAccess): Promise<OpenSession> {
  const env = getEnv();
  const { name, options, ttl } = sessionCookie(env);
  const sealer = sessionSealer(env);
  const stored = await sealer.open(access.read(name));
  const { write } = access;
  return {
    stored,
    async keepSignedIn(device) {
      const deps = getSignInDeps();
      return write ? keepSignedIn(deps, stored, device) : usableAsStored(deps, stored);
    },
    async commit(next) {
      if (next === stored || !write) return;
      // A session holding nothing (no one signed in, no code or passkey ceremony under way) is no cookie.
      const value = next.user || next.pending || next.passkey ? await sealer.seal(next) : null;
      write({ name, value, options: { ...options, maxAge: value ? ttl : 0 } });
    },
  };
}

/** The request's cookies through Next's cookies(), writable unless the caller is a server component. */
export async function requestCookies(caller: CookieCaller): Promise<CookieAccess> {
  const jar = await cookies();
  return {
    read: (name) => jar.get(name)?.value,
    write:
      caller === 'server-component'
        ? undefined
        : ({ name, value, options: { maxAge, ...attributes } }) => {
            if (value === null) jar.delete({ name, ...attributes });
            else jar.set(name, value, { ...attributes, maxAge });
          },
  };
}

/** The session as the cookie holds it, for a caller that only reads it (a pending code, a first-name step). */
export async function readSession(): Promise<SessionData> {
  const jar = await cookies();
  return (await openSession({ read: (name) => jar.get(name)?.value })).stored;
}

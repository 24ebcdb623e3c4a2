import 'server-only';

import { clientDevice } from '../client-ip';
import { ApiError } from '../errors';
import type { SessionData } from '../sign-in/session-data';
import { openSession, type SessionCookieValue } from './cookie';

type CookieJar = { get(name: string): { value: string } | undefined };

/** A page navigation's session, opened once by proxy.ts: what the cookie holds, and its renewal. */
export type PageSession = { stored: SessionData; renew(): Promise<SessionCookieValue | undefined> };

/**
 * For proxy.ts: server components cannot set cookies, so a navigation the proxy may answer with a
 * cookie (`mayWrite`: a GET, which renders a page) refreshes a credential that is due before the
 * page renders, and the page reads the renewed cookie. `renew` answers undefined when nothing
 * changes, or when Directus cannot be reached (the page then says so itself).
 */
export async function openPageSession(cookies: CookieJar, headers: Headers, mayWrite: boolean): Promise<PageSession> {
  let renewed: SessionCookieValue | undefined;
  const write = mayWrite
    ? (cookie: SessionCookieValue) => {
        renewed = cookie;
      }
    : undefined;
  const cookie = await openSession({ read: (name) => cookies.get(name)?.value, write });
  return {
    stored: cookie.stored,
    async renew() {
      try {
        await cookie.commit(await cookie.keepSignedIn(clientDevice(headers)));
      } catch (error) {
        if (error instanceof ApiError) return undefined;
        throw error;
      }
      return renewed;
    },
  };
}

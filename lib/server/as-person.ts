import 'server-only';

import { personDirectus, type PersonDirectus } from './directus/person';
import { getEnv } from './env';
import { ApiError } from './errors';
import { endSignIn, signedInPerson } from './person-session';
import type { SignedIn } from './sign-in/ports';

export type { PersonDirectus } from './directus/person';

export type AsPerson<T> =
  | { kind: 'signed_in'; value: T }
  /** Nobody is signed in, or Directus no longer accepts their credential (a 401 anywhere in `work`). */
  | { kind: 'signed_out' }
  /** Directus refused (`forbidden`, `not_found`, …) or did not answer (`upstream_unavailable`). */
  | { kind: 'error'; error: ApiError };

/**
 * Runs `work` with a typed @directus/sdk client acting as the signed-in person, for server
 * components, route handlers and server actions alike. The credential never leaves the server:
 * it is read from the sealed cookie (refreshed when due, see signedInPerson) and put on each
 * request. A Directus 401 means signed out, and clears the cookie where it can be.
 *
 *   const news = await asPerson<Schema, News[]>((directus) => directus.request(readItems('member_news')));
 *   if (news.kind === 'signed_out') redirect('/login?next=/members');
 */
export async function asPerson<Schema extends object, T>(
  work: (directus: PersonDirectus<Schema>, user: SignedIn) => Promise<T>,
): Promise<AsPerson<T>> {
  try {
    const person = await signedInPerson();
    if (!person) return { kind: 'signed_out' };
    return { kind: 'signed_in', value: await work(personDirectus<Schema>(getEnv(), person.authorization), person.user) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code !== 'unauthorized') return { kind: 'error', error };
    await endSignIn();
    return { kind: 'signed_out' };
  }
}

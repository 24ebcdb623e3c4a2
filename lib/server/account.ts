import 'server-only';

import type { UserProfile } from '@/lib/api-contract';
import { AuthError } from './errors';
import { readSession } from './session';
import { getSignInDeps } from './sign-in/deps';
import { loadProfile } from './sign-in/profile';

export type AccountState = { kind: 'signed_in'; user: UserProfile } | { kind: 'signed_out' } | { kind: 'unavailable' };

/**
 * The signed-in person's profile for server components. Pages cannot change cookies, so a
 * credential Directus rejects reads as signed out here; the next API call clears the cookie.
 */
export async function loadAccount(): Promise<AccountState> {
  try {
    const { user } = await loadProfile(getSignInDeps(), await readSession());
    return user ? { kind: 'signed_in', user } : { kind: 'signed_out' };
  } catch (error) {
    if (error instanceof AuthError) return { kind: 'unavailable' };
    throw error;
  }
}

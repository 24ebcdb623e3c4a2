import 'server-only';

import { getTranslations } from 'next-intl/server';

import type { UserProfile } from '@/lib/api-contract';
import { describeDevice } from '@/lib/user-agent';
import { ApiError } from './errors';
import { readSession } from './session';
import { getSignInDeps } from './sign-in-deps';
import { listDevices } from './sign-in/devices';
import { loadProfile } from './sign-in/profile';

/** A device as the account page shows it. */
export type DeviceView = { id: string; name: string; signedInAt: string | null; lastActiveAt: string | null; current: boolean };

export type AccountState =
  { kind: 'signed_in'; user: UserProfile; devices: DeviceView[] | undefined } | { kind: 'signed_out' } | { kind: 'unavailable' };

/**
 * The signed-in person's profile and devices for server components. Pages cannot change cookies
 * (proxy.ts has refreshed a due credential already), so a credential Directus rejects reads as
 * signed out here; the next API call clears the cookie.
 */
export async function loadAccount(): Promise<AccountState> {
  try {
    const deps = getSignInDeps();
    const [session, t] = await Promise.all([readSession(), getTranslations()]);
    const { user } = await loadProfile(deps, session);
    if (!user) return { kind: 'signed_out' };
    const devices = await listDevices(deps, session);
    return {
      kind: 'signed_in',
      user,
      devices: devices?.map(({ userAgent, ...device }) => ({ ...device, name: describeDevice(userAgent, t) })),
    };
  } catch (error) {
    if (error instanceof ApiError) return { kind: 'unavailable' };
    throw error;
  }
}

import 'server-only';

import { getTranslations } from 'next-intl/server';

import type { Passkey, UserProfile } from '@/lib/api-contract';
import { describeDevice } from '@/lib/user-agent';
import { ApiError } from './errors';
import { readSession } from './session/cookie';
import { getSignInDeps } from './sign-in-deps';
import { listDevices } from './sign-in/devices';
import { listPasskeys } from './sign-in/passkey/manage';
import type { PasskeySignInDeps } from './sign-in/passkey/ports';
import type { SessionData } from './sign-in/session-data';
import { loadProfile } from './sign-in/profile';

/** A device as the account page shows it. */
export type DeviceView = { id: string; name: string; signedInAt: string | null; lastActiveAt: string | null; current: boolean };

export type AccountState =
  | {
      kind: 'signed_in';
      user: UserProfile;
      devices: DeviceView[] | undefined;
      /** Undefined where passkeys are off (the `static` strategy, or no relying party at the extension). */
      passkeys: Passkey[] | undefined;
    }
  | { kind: 'signed_out' }
  | { kind: 'unavailable' };

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
    const [devices, passkeys] = await Promise.all([listDevices(deps, session), passkeysIfOn(deps, session)]);
    return {
      kind: 'signed_in',
      user,
      devices: devices?.map(({ userAgent, ...device }) => ({ ...device, name: describeDevice(userAgent, t) })),
      passkeys,
    };
  } catch (error) {
    if (error instanceof ApiError) return { kind: 'unavailable' };
    throw error;
  }
}

/** The person's passkeys, asked once per render: the extension's 404 says passkeys are off here. */
async function passkeysIfOn(deps: PasskeySignInDeps, session: SessionData): Promise<Passkey[] | undefined> {
  try {
    return await listPasskeys(deps, session);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'passkeys_unavailable') return undefined;
    throw error;
  }
}

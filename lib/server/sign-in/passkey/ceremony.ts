import { ApiError, SignInFailure } from '../../errors';
import type { PasskeyCeremony, SessionData } from '../ports';
import type { PasskeySignInDeps, Passkeys } from './ports';

/** The passkeys port, or `passkeys_unavailable` where the credential strategy has none (`static`). */
export function passkeysOf(deps: PasskeySignInDeps): Passkeys {
  if (!deps.passkeys) throw new ApiError('passkeys_unavailable');
  return deps.passkeys;
}

/** The session with this ceremony kept until it is answered; a newer one replaces it. */
export function withCeremony(session: SessionData, ceremony: PasskeyCeremony): SessionData {
  return { ...session, passkey: ceremony };
}

/**
 * Takes the ceremony of this purpose out of the session (it answers once, whatever happens next):
 * its id and the session without it. None under way is the `refusal`, with the ceremony dropped.
 */
export function takeCeremony(
  session: SessionData,
  purpose: PasskeyCeremony['purpose'],
  refusal: 'passkey_refused' | 'passkey_not_added',
): { ceremony: string; rest: SessionData } {
  const { passkey, ...rest } = session;
  if (passkey?.purpose !== purpose) throw new SignInFailure(refusal, rest);
  return { ceremony: passkey.ceremony, rest };
}

/** Any refusal after the ceremony was taken also drops it from the session. */
export async function droppingCeremony<T>(rest: SessionData, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError && !(error instanceof SignInFailure)) throw new SignInFailure(error.code, rest, error.extra);
    throw error;
  }
}

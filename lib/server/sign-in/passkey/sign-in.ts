import type { PasskeyCredentialJson, PasskeyOptionsResponse, SignedInResponse } from '@/lib/api-contract';
import { SignInFailure } from '../../errors';
import { enforce } from '../limits';
import type { Outcome, SessionData } from '../ports';
import { signedIn } from '../signed-in';
import { droppingCeremony, passkeysOf, takeCeremony, withCeremony } from './ceremony';
import type { PasskeySignInDeps } from './ports';

/**
 * Starts a usernameless passkey sign-in: the extension's options for the browser, and the
 * ceremony's id kept in this device's cookie (never sent to the browser), so that only this
 * browser can answer it.
 */
export async function startPasskeySignIn(
  deps: PasskeySignInDeps,
  session: SessionData,
  input: { ip: string },
): Promise<Outcome<PasskeyOptionsResponse>> {
  const passkeys = passkeysOf(deps);
  await enforce(deps, [['passkeyOptionsPerIp', input.ip]]);
  const { ceremony, options } = await passkeys.signInOptions();
  return { session: withCeremony(session, { ceremony, purpose: 'sign_in' }), body: { options } };
}

/**
 * Signs in with the browser's answer to this device's ceremony: the strategy issues the same
 * credential as for an SMS code once the extension has verified the answer. Every refusal (no
 * ceremony, a passkey unknown or removed, a member who may not sign in, a bad signature, a used
 * challenge) is the one `passkey_refused`.
 */
export async function signInWithPasskey(
  deps: PasskeySignInDeps,
  session: SessionData,
  input: { response: PasskeyCredentialJson; ip: string; userAgent: string | null },
): Promise<Outcome<SignedInResponse>> {
  passkeysOf(deps);
  const { ceremony, rest } = takeCeremony(session, 'sign_in', 'passkey_refused');
  return droppingCeremony(rest, async () => {
    await enforce(deps, [['passkeySignInsPerIp', input.ip]]);
    const signedInAt = deps.clock.now();
    const issued = await deps.credentials.issue({
      proof: { method: 'passkey', ceremony, response: input.response },
      ip: input.ip,
      userAgent: input.userAgent,
      signedInAt,
    });
    if (!issued) throw new SignInFailure('passkey_refused', rest);
    return signedIn(deps, issued, signedInAt);
  });
}

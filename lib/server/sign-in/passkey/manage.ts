import type { Passkey, PasskeyCredentialJson, PasskeyOptionsResponse, PasskeyRemovedResponse, PasskeyResponse } from '@/lib/api-contract';
import { ApiError, SignInFailure } from '../../errors';
import { cleanTypedName } from '../first-name';
import { enforce } from '../limits';
import type { Outcome, SessionData, SignedIn } from '../ports';
import { droppingCeremony, passkeysOf, takeCeremony, withCeremony } from './ceremony';
import type { PasskeySignInDeps } from './ports';

// The signed-in person's own passkeys: add (after a recent SMS sign-in, which the extension
// checks), list, rename, remove. A credential Directus no longer accepts means signed out.

function signedInUser(session: SessionData): SignedIn {
  if (!session.user) throw new ApiError('unauthorized');
  return session.user;
}

/** Directus refused the person's credential: signed out, keeping a code under way. */
const signedOut = (session: SessionData) => new SignInFailure('unauthorized', { pending: session.pending });

function typedName(name: string): string {
  const clean = cleanTypedName(name);
  if (!clean) throw new ApiError('invalid_passkey_name');
  return clean;
}

export async function startAddingPasskey(
  deps: PasskeySignInDeps,
  session: SessionData,
  input: { ip: string },
): Promise<Outcome<PasskeyOptionsResponse>> {
  const passkeys = passkeysOf(deps);
  const user = signedInUser(session);
  await enforce(deps, [['passkeyOptionsPerIp', input.ip]]);
  const started = await passkeys.registerOptions(user);
  if (!started) throw signedOut(session);
  return { session: withCeremony(session, { ceremony: started.ceremony, purpose: 'register' }), body: { options: started.options } };
}

export async function addPasskey(
  deps: PasskeySignInDeps,
  session: SessionData,
  input: { response: PasskeyCredentialJson; name?: string },
): Promise<Outcome<PasskeyResponse>> {
  const passkeys = passkeysOf(deps);
  const user = signedInUser(session);
  const name = input.name === undefined ? null : typedName(input.name);
  const { ceremony, rest } = takeCeremony(session, 'register', 'passkey_not_added');
  return droppingCeremony(rest, async () => {
    const passkey = await passkeys.register(user, { ceremony, response: input.response, name });
    if (!passkey) throw signedOut(session);
    return { session: rest, body: { passkey } };
  });
}

export async function listPasskeys(deps: PasskeySignInDeps, session: SessionData): Promise<Passkey[]> {
  const passkeys = passkeysOf(deps);
  const list = await passkeys.list(signedInUser(session));
  if (!list) throw signedOut(session);
  return list;
}

export async function renamePasskey(
  deps: PasskeySignInDeps,
  session: SessionData,
  input: { id: string; name: string },
): Promise<Outcome<PasskeyResponse>> {
  const passkeys = passkeysOf(deps);
  const user = signedInUser(session);
  const passkey = await passkeys.rename(user, input.id, typedName(input.name));
  if (!passkey) throw signedOut(session);
  return { session, body: { passkey } };
}

export async function removePasskey(
  deps: PasskeySignInDeps,
  session: SessionData,
  input: { id: string },
): Promise<Outcome<PasskeyRemovedResponse>> {
  const passkeys = passkeysOf(deps);
  const removed = await passkeys.remove(signedInUser(session), input.id);
  if (removed === undefined) throw signedOut(session);
  if (!removed) throw new ApiError('passkey_not_found');
  return { session, body: { status: 'removed' } };
}

// Passkeys (WebAuthn) as a second way to sign in, checked here as an SMS code is: the challenge is
// made and kept by the extension (single use, bound to its ceremony and, to add one, to the member),
// the browser's answer is verified with @simplewebauthn/server against the relying party of
// SMS_SIGN_IN_PASSKEY_*, and a sign-in opens the same Directus session as an SMS code, after the
// same member rules, in one commit. The app only relays: its key alone signs nobody in.
import { generateKeyPairSync, randomUUID } from 'node:crypto';

import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  type VerifiedAuthenticationResponse,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { PasskeySettings } from './config';
import { openSession, recordLogin, signAccessToken } from './directus-session';
import { SignInError } from './errors';
import type { PasskeyRegisterInput, PasskeySignInInput } from './input';
import { issuedMark } from './issued-sessions';
import { judgeUserRow, profileOf } from './member-rules';
import { currentMember, type Caller } from './member-routes';
import { findMemberById, findUserById } from './members';
import {
  ceremonyChallenge,
  consumeCeremony,
  findPasskey,
  handleOwner,
  MAX_CREDENTIAL_ID_BYTES,
  PASSKEYS_TABLE,
  passkeyRowId,
  passkeysOf,
  startCeremony,
  summaryOf,
  transportsOf,
  userHandle,
  type PasskeyRow,
  type PasskeySummary,
} from './passkey-tables';
import type { IssueResult, SignInDeps } from './sign-in';

export interface Ceremony<Options> {
  ceremony: string;
  options: Options;
}

/** The relying party's settings, or the named refusal of a Directus where passkeys are off or misconfigured. */
export function passkeySettings(deps: SignInDeps): PasskeySettings {
  const { passkeys } = deps.config;
  if (passkeys.state === 'off') throw new SignInError('passkeys_off');
  if (passkeys.state === 'invalid') throw new SignInError('passkeys_not_configured');
  return passkeys.settings;
}

/** What the library's error says, as a reason for the log: never its text, which quotes the origin and challenge it was given. */
function verificationRefusal(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/top origin|cross-origin/i.test(message)) return 'wrong_top_origin';
  if (/origin/i.test(message)) return 'wrong_origin';
  if (/RP ID/i.test(message)) return 'wrong_rp_id';
  if (/challenge/i.test(message)) return 'wrong_challenge';
  if (/User verification/i.test(message)) return 'no_user_verification';
  if (/User not present/i.test(message)) return 'no_user_presence';
  if (/counter/i.test(message)) return 'counter_regression';
  return 'malformed_response';
}

const asBytes = (base64url: string) => new Uint8Array(Buffer.from(base64url, 'base64url'));

/** Usernameless: no allowCredentials, the browser offers every passkey it holds for the relying party. */
export async function signInOptions(deps: SignInDeps): Promise<Ceremony<PublicKeyCredentialRequestOptionsJSON>> {
  const settings = passkeySettings(deps);
  const ceremony = await startCeremony(deps.database, 'sign_in', null, Date.now());
  const options = await generateAuthenticationOptions({
    rpID: settings.rpId,
    challenge: asBytes(ceremony.challenge),
    userVerification: 'required',
  });
  return { ceremony: ceremony.id, options };
}

/** Refuses with the one generic error, logging why; the ceremony is used up either way. */
async function refuseSignIn(deps: SignInDeps, input: PasskeySignInInput, reason: string): Promise<never> {
  await consumeCeremony(deps.database, input.ceremony).catch(() => undefined);
  deps.logger.info(`sms-sign-in: passkey sign-in refused (${reason})`);
  throw new SignInError('refused');
}

/** Thrown inside the commit, which then rolls back; turned into the generic refusal after it. */
class RefusedInCommit extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What an assertion is checked against: a registered passkey, or the stand-in. */
type CheckedKey = Pick<PasskeyRow, 'credential_id' | 'public_key' | 'counter' | 'user'>;

/**
 * What a passkey nobody registered is checked against, so that its refusal takes the steps a
 * registered passkey's does (the user handle's owner, the signature, the member's row): how long
 * the one refusal takes must not tell whether a passkey is registered. An ES256 key made at start
 * whose private half is never kept, and a user id no row has.
 */
export const STAND_IN_KEY: CheckedKey = (() => {
  const { x, y } = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const cose = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, Buffer.from(x!, 'base64url')],
    [-3, Buffer.from(y!, 'base64url')],
  ]);
  return { credential_id: 'stand-in', public_key: Buffer.from(isoCBOR.encode(cose)).toString('base64url'), counter: 0, user: randomUUID() };
})();

/** The library's verdict on an assertion against a key: what it verified, or the refusal's reason. */
export async function verifyAssertion(
  settings: PasskeySettings,
  expectedChallenge: string,
  response: PasskeySignInInput['response'],
  key: CheckedKey,
): Promise<{ info: VerifiedAuthenticationResponse['authenticationInfo'] } | { refusal: string }> {
  try {
    const verification = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: settings.origins,
      expectedRPID: settings.rpId,
      requireUserVerification: true,
      credential: { id: key.credential_id, publicKey: asBytes(key.public_key), counter: Number(key.counter) },
    });
    return verification.verified ? { info: verification.authenticationInfo } : { refusal: 'bad_signature' };
  } catch (error) {
    return { refusal: verificationRefusal(error) };
  }
}

export async function passkeySignIn(deps: SignInDeps, input: PasskeySignInInput, origin: string | null): Promise<IssueResult> {
  const settings = passkeySettings(deps);
  const now = Date.now();
  const challenge = await ceremonyChallenge(deps.database, input.ceremony, 'sign_in', null, now);
  if (challenge === undefined) return refuseSignIn(deps, input, 'challenge_unknown_used_or_expired');
  const passkey = await findPasskey(deps.database, passkeyRowId(Buffer.from(input.response.id, 'base64url')));
  // Every step runs for a passkey nobody registered too (against the stand-in), and only then is
  // the first refusal among them taken.
  const key = passkey ?? STAND_IN_KEY;
  const handle = (input.response.response as { userHandle?: unknown }).userHandle;
  const owner = typeof handle === 'string' ? await handleOwner(deps.database, handle) : undefined;
  const verification = await verifyAssertion(settings, challenge, input.response, key);
  const found = await findMemberById(deps.database, key.user, deps.config.memberRoles);
  if (!passkey) return refuseSignIn(deps, input, 'unknown_passkey');
  if (owner !== passkey.user) return refuseSignIn(deps, input, 'user_handle_mismatch');
  if ('refusal' in verification) return refuseSignIn(deps, input, verification.refusal);
  if ('refusal' in found) return refuseSignIn(deps, input, found.refusal);

  const authenticationInfo = verification.info;
  const client = { ip: input.ip, userAgent: input.userAgent, origin };
  // One commit: the challenge used up, the passkey's counter moved on (only from the value verified
  // against, so of two answers checked at once one moves it), the member read again, the session,
  // its mark and the login entry. A refusal inside rolls it all back.
  const result = await deps.database
    .transaction(async (database) => {
      if (!(await consumeCeremony(database, input.ceremony))) throw new RefusedInCommit('challenge_used');
      const moved = await database(PASSKEYS_TABLE)
        .where({ id: passkey.id, counter: passkey.counter })
        .update({ counter: authenticationInfo.newCounter, backed_up: authenticationInfo.credentialBackedUp, last_used_at: new Date(now) });
      if (moved !== 1) throw new RefusedInCommit('passkey_changed_or_removed');
      const user = await findUserById(database, passkey.user);
      const refusal = judgeUserRow(user, deps.config.memberRoles);
      if (refusal) throw new RefusedInCommit(refusal);
      if (user!.role !== found.user.role) throw new RefusedInCommit('role_changed');
      const session = await openSession(database, user!.id, client, deps.config.session.ttlMs, now, 'passkey');
      await recordLogin(database, user!.id, client, { collection: PASSKEYS_TABLE, item: passkey.id });
      return { user: user!, session };
    })
    .catch((error: unknown) => {
      if (error instanceof RefusedInCommit) return refuseSignIn(deps, input, error.reason);
      throw error;
    });
  deps.logger.info(`sms-sign-in: signed in with a passkey, user ${passkey.user}`);
  return {
    access_token: signAccessToken(deps.config.session, { id: result.user.id, role: result.user.role, session: result.session }, now),
    expires: deps.config.session.ttlMs,
    expires_at: new Date(now + deps.config.session.ttlMs).toISOString(),
    member: profileOf(result.user),
  };
}

/**
 * A member adds a passkey only from a session an SMS code opened in the last
 * SMS_SIGN_IN_PASSKEY_RECENT_SIGN_IN_SECONDS: whoever holds an unlocked, signed-in device, or a
 * stolen credential, must show they still receive the member's SMS first. A session a passkey
 * opened does not count, so a passkey cannot plant another.
 */
async function recentSmsMember(deps: SignInDeps, settings: PasskeySettings, caller: Caller | undefined) {
  const member = await currentMember(deps, caller);
  if (!caller?.session) throw new SignInError('session_credential_required');
  const mark = await issuedMark(deps.database, caller.session);
  const recentSince = Date.now() - settings.recentSignInSeconds * 1000;
  if (mark?.proof !== 'sms' || mark.signedInAt === null || mark.signedInAt < recentSince) throw new SignInError('recent_sign_in_required');
  return member;
}

export async function registerOptions(
  deps: SignInDeps,
  caller: Caller | undefined,
): Promise<Ceremony<PublicKeyCredentialCreationOptionsJSON>> {
  const settings = passkeySettings(deps);
  const member = await recentSmsMember(deps, settings, caller);
  const [handle, existing] = await Promise.all([userHandle(deps.database, member.id), passkeysOf(deps.database, member.id)]);
  const ceremony = await startCeremony(deps.database, 'register', member.id, Date.now());
  const displayName = [member.first_name, member.last_name].filter(Boolean).join(' ');
  const options = await generateRegistrationOptions({
    rpName: settings.rpName,
    rpID: settings.rpId,
    // What the browser shows beside the passkey; the handle (userID) is what it stores, and is random.
    userName: member.phone ?? member.id,
    userDisplayName: displayName || member.phone || '',
    userID: asBytes(handle),
    challenge: asBytes(ceremony.challenge),
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({ id: row.credential_id, transports: transportsOf(row) as never })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  return { ceremony: ceremony.id, options };
}

function refuseRegistration(deps: SignInDeps, userId: string, reason: string): never {
  deps.logger.info(`sms-sign-in: passkey not added (${reason}) for user ${userId}`);
  throw new SignInError('registration_refused');
}

export async function register(
  deps: SignInDeps,
  caller: Caller | undefined,
  input: PasskeyRegisterInput,
): Promise<{ passkey: PasskeySummary }> {
  const settings = passkeySettings(deps);
  const member = await recentSmsMember(deps, settings, caller);
  const now = Date.now();
  const challenge = await ceremonyChallenge(deps.database, input.ceremony, 'register', member.id, now);
  if (challenge === undefined || !(await consumeCeremony(deps.database, input.ceremony)))
    refuseRegistration(deps, member.id, 'challenge_unknown_used_or_expired');
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: settings.origins,
      expectedRPID: settings.rpId,
      requireUserVerification: true,
    });
  } catch (error) {
    refuseRegistration(deps, member.id, verificationRefusal(error));
  }
  if (!verification.verified) refuseRegistration(deps, member.id, 'not_verified');
  const { credential, credentialBackedUp, credentialDeviceType } = verification.registrationInfo;
  // WebAuthn L3 §7.1 steps 25 and 26, which the library leaves to us.
  const credentialId = Buffer.from(credential.id, 'base64url');
  if (credentialId.length > MAX_CREDENTIAL_ID_BYTES) refuseRegistration(deps, member.id, 'credential_id_too_long');
  if (credential.id !== input.response.id) refuseRegistration(deps, member.id, 'credential_id_mismatch');
  const id = passkeyRowId(credentialId);
  const row = {
    id,
    credential_id: credential.id,
    user: member.id,
    public_key: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: JSON.stringify(credential.transports ?? []),
    backed_up: credentialBackedUp,
    device_type: credentialDeviceType,
    name: input.name ?? (credentialBackedUp ? 'Synced passkey' : 'Passkey'),
    created_at: new Date(now),
    last_used_at: null,
  };
  try {
    await deps.database(PASSKEYS_TABLE).insert(row);
  } catch (error) {
    if (await findPasskey(deps.database, id)) refuseRegistration(deps, member.id, 'already_registered');
    throw error;
  }
  deps.logger.info(`sms-sign-in: passkey added for user ${member.id}`);
  return { passkey: summaryOf(row) };
}

export async function listPasskeys(deps: SignInDeps, caller: Caller | undefined): Promise<{ passkeys: PasskeySummary[] }> {
  passkeySettings(deps);
  const member = await currentMember(deps, caller);
  return { passkeys: (await passkeysOf(deps.database, member.id)).map(summaryOf) };
}

export async function renamePasskey(
  deps: SignInDeps,
  caller: Caller | undefined,
  id: string,
  name: string,
): Promise<{ passkey: PasskeySummary }> {
  passkeySettings(deps);
  const member = await currentMember(deps, caller);
  const updated = await deps.database(PASSKEYS_TABLE).where({ id, user: member.id }).update({ name });
  const row = updated === 1 ? await findPasskey(deps.database, id) : undefined;
  if (!row) throw new SignInError('passkey_not_found');
  return { passkey: summaryOf(row) };
}

export async function removePasskey(deps: SignInDeps, caller: Caller | undefined, id: string): Promise<{ removed: number }> {
  passkeySettings(deps);
  const member = await currentMember(deps, caller);
  if ((await deps.database(PASSKEYS_TABLE).where({ id, user: member.id }).delete()) !== 1) throw new SignInError('passkey_not_found');
  deps.logger.info(`sms-sign-in: passkey removed for user ${member.id}`);
  return { removed: 1 };
}

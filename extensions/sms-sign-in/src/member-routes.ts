// Routes a member calls with their own credential (the access token issue answered, as
// Authorization: Bearer). Directus has already verified it and, for a session token, checked its
// directus_sessions row; here we check that it belongs to a member right now, by every rule of
// sign-in (a role may have gained a policy since), and end a session of ours that does not.
import type { Knex } from 'knex';
import type { SignInConfig } from './config';
import { endDevice, endOtherDevices, isDeviceId, listDevices, type Device } from './devices';
import { SignInError } from './errors';
import { issuedHere } from './issued-sessions';
import { profileOf, type MemberProfile } from './member-rules';
import { findMemberById } from './members';
import { endSession } from './renewal';

export interface Caller {
  user?: string | null;
  session?: string;
}

export interface MemberDeps {
  database: Knex;
  config: SignInConfig;
}

/** Read with the database: on unlicensed Directus a member role cannot be granted "read your own row". */
export async function currentMember({ database, config }: MemberDeps, caller: Caller | undefined): Promise<MemberProfile> {
  if (!caller?.user) throw new SignInError('unauthenticated');
  const found = await findMemberById(database, caller.user, config.memberRoles);
  if ('user' in found) return profileOf(found.user);
  // The app then treats them as signed out; the pass-through's next request with it gets a 401.
  if (caller.session && (await issuedHere(database, caller.session))) await endSession(database, caller.session);
  throw new SignInError('not_a_member');
}

/**
 * A newcomer names themselves (the app's first-name step). Only `first_name` of the caller's own
 * row is written: a member role on unlicensed Directus cannot be granted "update your own row".
 */
export async function setFirstName(deps: MemberDeps, caller: Caller | undefined, firstName: string): Promise<MemberProfile> {
  const member = await currentMember(deps, caller);
  await deps.database('directus_users').where({ id: member.id }).update({ first_name: firstName });
  return { ...member, first_name: firstName };
}

async function memberSession(deps: MemberDeps, caller: Caller | undefined): Promise<{ userId: string; session: string }> {
  const member = await currentMember(deps, caller);
  if (!caller?.session) throw new SignInError('session_credential_required');
  return { userId: member.id, session: caller.session };
}

export async function devices(deps: MemberDeps, caller: Caller | undefined): Promise<{ devices: Device[] }> {
  const { userId, session } = await memberSession(deps, caller);
  return { devices: await listDevices(deps.database, userId, session, deps.config.session.ttlMs) };
}

export async function endOneDevice(deps: MemberDeps, caller: Caller | undefined, id: string): Promise<{ ended: number }> {
  const { userId } = await memberSession(deps, caller);
  if (!isDeviceId(id)) throw new SignInError('invalid_device_id');
  if (!(await endDevice(deps.database, userId, id))) throw new SignInError('device_not_found');
  return { ended: 1 };
}

export async function endOthers(deps: MemberDeps, caller: Caller | undefined): Promise<{ ended: number }> {
  const { userId, session } = await memberSession(deps, caller);
  return { ended: await endOtherDevices(deps.database, userId, session) };
}

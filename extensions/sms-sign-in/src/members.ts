// Who may sign in by SMS: an active member found by phone (unique index on directus_users.phone),
// read with the extension's knex, i.e. without Directus's permission checks, so every rule is here.
import { createHmac, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

import { judgeUserRow, MAX_ROLE_DEPTH, PRIVILEGED_POLICY_FLAGS, type MemberRefusal, type UserRow } from './member-rules';

const USER_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'phone', 'status', 'role', 'provider', 'tfa_secret'] as const;

/** A user with their role's parent (the first step of the role tree, in the same query). */
export type PhoneHolderRow = UserRow & { role_parent: string | null };

function findUser(db: Knex, where: { phone: string } | { id: string }): Promise<PhoneHolderRow | undefined> {
  const [column, value] = 'phone' in where ? ['phone', where.phone] : ['id', where.id];
  return db
    .select(...USER_COLUMNS.map((name) => `directus_users.${name}`), 'directus_roles.parent as role_parent')
    .from('directus_users')
    .leftJoin('directus_roles', 'directus_roles.id', 'directus_users.role')
    .where(`directus_users.${column}`, value)
    .first();
}

export const findUserByPhone = (db: Knex, phone: string) => findUser(db, { phone });
export const findUserById = (db: Knex, id: string) => findUser(db, { id });

/** False on a Directus the setup has not prepared yet. */
export async function hasPhoneField(db: Knex): Promise<boolean> {
  return db.schema.hasColumn('directus_users', 'phone');
}

/** The role and its parents: policies on a parent role apply to its children too. */
async function roleTree(db: Knex, role: string, parent: string | null): Promise<string[]> {
  const roles: string[] = [role];
  for (let id: string | null = parent; id && roles.length < MAX_ROLE_DEPTH && !roles.includes(id);) {
    roles.push(id);
    const row: { parent: string | null } | undefined = await db.select('parent').from('directus_roles').where({ id }).first();
    id = row?.parent ?? null;
  }
  return roles;
}

/** Does any policy on the user or on their roles carry one of the privileged flags? */
export async function hasPrivilegedPolicy(db: Knex, user: PhoneHolderRow): Promise<boolean> {
  const roles = user.role ? await roleTree(db, user.role, user.role_parent) : [];
  const row = await db
    .select('directus_access.id')
    .from('directus_access')
    .join('directus_policies', 'directus_policies.id', 'directus_access.policy')
    .where((who) => {
      who.where('directus_access.user', user.id);
      if (roles.length > 0) who.orWhereIn('directus_access.role', roles);
    })
    .andWhere((grants) => {
      for (const flag of PRIVILEGED_POLICY_FLAGS) grants.orWhere(`directus_policies.${flag}`, true);
    })
    .first();
  return row !== undefined;
}

export type FoundMember = { user: UserRow } | { refusal: MemberRefusal };

/** Every rule, of the row and of the policies. */
async function judgeMember(db: Knex, user: PhoneHolderRow | undefined, memberRoles: ReadonlySet<string>): Promise<FoundMember> {
  const refusal = judgeUserRow(user, memberRoles);
  if (refusal) return { refusal };
  if (await hasPrivilegedPolicy(db, user!)) return { refusal: 'privileged_policy' };
  return { user: user! };
}

/** The member for this phone, or why there is none. */
export async function findMember(db: Knex, phone: string, memberRoles: ReadonlySet<string>): Promise<FoundMember> {
  return judgeMember(db, await findUserByPhone(db, phone), memberRoles);
}

/**
 * The user of a session, if they are a member now, or why not: the rules of sign-in, applied again
 * wherever a session is checked (me) or renewed (refresh), as roles and policies change after it.
 */
export async function findMemberById(db: Knex, id: string, memberRoles: ReadonlySet<string>): Promise<FoundMember> {
  return judgeMember(db, await findUser(db, { id }), memberRoles);
}

/**
 * Gives a phone nobody holds a member of its own: active, the sign-up role, nothing else (no
 * policy, no Studio access, no password). The unique index on phone makes it race-safe: of two
 * concurrent sign-ups for one number one insert succeeds and the other fails, which then finds the
 * same member. Exactly that failure, on every database: a failed insert that leaves nobody holding
 * the phone is an error (knex's onConflict().ignore() is INSERT IGNORE on MySQL, which turns every
 * error of the row, a missing role included, into a warning and no row). The insert runs in a
 * savepoint, as PostgreSQL aborts the whole transaction on a failed statement.
 */
export async function createMember(db: Knex, phone: string, role: string): Promise<void> {
  try {
    await db.transaction((savepoint) =>
      savepoint('directus_users').insert({ id: randomUUID(), phone, role, status: 'active', provider: 'default' }),
    );
  } catch (error) {
    if ((await findUserByPhone(db, phone)) === undefined) throw error;
  }
}

/**
 * The opaque reference lookup answers: stable per member, not their id, and checkable by issue.
 * Keyed with the app key, so it changes when the key is rotated; issue accepts one made with the
 * previous key while SMS_SIGN_IN_APP_KEY_PREVIOUS is set, so a pending sign-in still completes.
 */
export function memberRef(appKey: string, userId: string): string {
  return `m_${createHmac('sha256', appKey).update(`member:${userId}`).digest('base64url').slice(0, 32)}`;
}

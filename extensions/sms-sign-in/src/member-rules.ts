// Who may sign in by SMS, as far as a user row and its policies' flags tell. Pure (no Directus, no
// database), so the app's `static` strategy (lib/server/directus/static.ts), which reads the same
// rows over REST, applies these very rules.

export interface MemberProfile {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
}

/** Only the profile: a row read with more (its rules' fields) must not hand those on. */
export function profileOf(user: MemberProfile): MemberProfile {
  return { id: user.id, first_name: user.first_name, last_name: user.last_name, email: user.email, phone: user.phone };
}

export interface UserRow extends MemberProfile {
  status: string;
  role: string | null;
  provider: string;
  /** Directus conceals it when read over REST (`**********`): only whether it is set counts. */
  tfa_secret: string | null;
}

export type MemberRefusal = 'no_user' | 'not_active' | 'not_member_role' | 'other_provider' | 'two_factor' | 'privileged_policy';

/**
 * The flags of a policy that keep its holders out of SMS sign-in, on the user, their role or a
 * parent role: admin or Studio access, or two-factor enforced. An IP restriction is not looked at
 * (stricter than Directus on purpose: such a policy counts everywhere).
 */
export const PRIVILEGED_POLICY_FLAGS = ['admin_access', 'app_access', 'enforce_tfa'] as const;

/** Guards against a cycle in directus_roles.parent (Directus itself throws on one). */
export const MAX_ROLE_DEPTH = 20;

/** The rules that need only the user row. */
export function judgeUserRow(user: UserRow | undefined, memberRoles: ReadonlySet<string>): MemberRefusal | null {
  if (!user) return 'no_user';
  if (user.status !== 'active') return 'not_active';
  if (!user.role || !memberRoles.has(user.role.toLowerCase())) return 'not_member_role';
  // Other providers are SSO users, and on unlicensed Directus active SSO users push the instance towards "locked".
  if (user.provider !== 'default') return 'other_provider';
  // Someone who set up two-factor expects it to be asked for; an SMS code must not bypass it.
  if (user.tfa_secret) return 'two_factor';
  return null;
}

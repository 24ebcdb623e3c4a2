import 'server-only';

import { randomBytes, randomUUID } from 'node:crypto';

import { createUser, customEndpoint, isDirectusError, readMe, staticToken, updateUser, withToken } from '@directus/sdk';

import type { UserProfile } from '@/lib/api-contract';
import {
  judgeUserRow,
  MAX_ROLE_DEPTH,
  PRIVILEGED_POLICY_FLAGS,
  profileOf,
  type MemberRefusal,
  type UserRow,
} from '@/extensions/sms-sign-in/src/member-rules';
import type { StrategyEnv } from '../env';
import type { CredentialStrategy, Directory, SignedIn } from '../sign-in/ports';
import { directusClient, directusStatus, unavailable } from './client';

type MemberSchema = {
  directus_users: {
    id: string;
    status: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    phone: string | null;
    role: string | null;
    token: string | null;
    token_expires_at: string | null;
  }[];
};

const PROFILE_FIELDS = ['id', 'first_name', 'last_name', 'email', 'phone'] as const;
/** What the member rules read of a user: the row's own fields, and the first step of its role tree. */
const RULE_FIELDS = [...PROFILE_FIELDS, 'status', 'provider', 'tfa_secret', 'role.id', 'role.parent'].join(',');
const SWEEP_BATCH = 100;

/** A user as RULE_FIELDS reads them: the role comes with its parent. */
type RuleRow = Omit<UserRow, 'role'> & { role: { id: string; parent: string | null } | null };

/**
 * Directus reads every static token back as `**********`, and writing that back stores it as the
 * token (then `Bearer **********` signs in). Only a fresh 32-byte base64url value may be written.
 */
export function assertFreshToken(token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new Error('refusing to write a credential that is not a fresh random token');
}

/**
 * The `static` strategy, for a Directus that cannot load our extension: the app's service token
 * (admin-equivalent on unlicensed Directus, see README) finds members and writes each one a
 * static token, one per member, so a sign-in on a second device signs the first one out.
 */
export function createStaticStrategy(env: StrategyEnv<'static'>): { directory: Directory; credentials: CredentialStrategy } {
  const { client: anonymous, call, ping } = directusClient<MemberSchema>(env);
  const service = anonymous.with(staticToken(env.DIRECTUS_TOKEN));

  /** The service account's GET of a collection, with a filter and fields Directus may nest. */
  function serviceRead<T>(path: string, params: { filter: object; fields: string; limit: number }): Promise<T[]> {
    return call(() => service.request(customEndpoint<T[]>({ method: 'GET', path, params })));
  }

  async function userWhere(filter: object): Promise<RuleRow | undefined> {
    const [user] = await serviceRead<RuleRow>('/users', { filter, fields: RULE_FIELDS, limit: 1 });
    return user;
  }

  /** The role and its parents: policies on a parent role apply to its children too. */
  async function roleTree({ id, parent }: { id: string; parent: string | null }): Promise<string[]> {
    const roles = [id];
    for (let next = parent; next && roles.length < MAX_ROLE_DEPTH && !roles.includes(next);) {
      roles.push(next);
      const [row] = await serviceRead<{ parent: string | null }>('/roles', { filter: { id: { _eq: next } }, fields: 'parent', limit: 1 });
      next = row?.parent ?? null;
    }
    return roles;
  }

  /** Does a policy on the user, their role or a parent role carry a privileged flag? */
  async function hasPrivilegedPolicy(user: RuleRow): Promise<boolean> {
    const holders: object[] = [{ user: { _eq: user.id } }];
    if (user.role) holders.push({ role: { _in: await roleTree(user.role) } });
    const grants = PRIVILEGED_POLICY_FLAGS.map((flag) => ({ policy: { [flag]: { _eq: true } } }));
    const found = await serviceRead<{ id: string }>('/access', {
      filter: { _and: [{ _or: holders }, { _or: grants }] },
      fields: 'id',
      limit: 1,
    });
    return found.length > 0;
  }

  /**
   * Why this user may not sign in by SMS (or hold a sign-in), or null: the extension's rules
   * (extensions/sms-sign-in/src/member-rules.ts), the row's first and then its policies.
   */
  async function refusalOf(user: RuleRow | undefined): Promise<MemberRefusal | null> {
    const refusal = judgeUserRow(user && { ...user, role: user.role?.id ?? null }, env.DIRECTUS_MEMBER_ROLES);
    if (refusal) return refusal;
    return (await hasPrivilegedPolicy(user!)) ? 'privileged_policy' : null;
  }

  /** The id a cookie's token reads of itself; undefined when Directus rejects the token. */
  async function ownId({ credential }: SignedIn): Promise<string | undefined> {
    // A credential of the other strategy (the setting changed since sign-in) is simply signed out.
    if (credential.strategy !== 'static') return undefined;
    const { token } = credential;
    try {
      return (await anonymous.request(withToken(token, readMe({ fields: ['id'] })))).id;
    } catch (error) {
      if (directusStatus(error) === 401) return undefined;
      throw unavailable(error);
    }
  }

  async function endToken(id: string) {
    await call(() => service.request(updateUser(id, { token: null, token_expires_at: null }, { fields: ['id'] })));
  }

  /**
   * The profile of the member whose token this cookie holds, when it is still the live one and
   * its holder may still sign in by SMS. One who may not any more (made an administrator, given
   * Studio access, two-factor, another role, suspended) is signed out: their token is ended, so
   * that the cookie cannot act with rights no SMS sign-in may hold.
   */
  async function liveMember(user: SignedIn): Promise<UserProfile | undefined> {
    const id = await ownId(user);
    if (!id) return undefined;
    // Unlicensed Directus 12 cannot grant "read your own row", so the service account reads it.
    const row = await userWhere({ id: { _eq: id } });
    if (await refusalOf(row)) {
      await endToken(id);
      return undefined;
    }
    return profileOf(row!);
  }

  /**
   * A newcomer's member row: this phone, the member role, active, nothing else. Of two concurrent
   * sign-ups for one number the unique index on phone lets one create it; the other finds it.
   */
  async function signUp(phone: string, role: string): Promise<void> {
    try {
      await service.request(createUser({ phone, role, status: 'active' }, { fields: ['id'] }));
    } catch (error) {
      if (!(isDirectusError(error) && error.errors?.[0]?.extensions?.code === 'RECORD_NOT_UNIQUE')) throw unavailable(error);
    }
  }

  const directory: Directory = {
    async findActiveMemberByPhone(phone) {
      const user = await userWhere({ phone: { _eq: phone } });
      const refusal = await refusalOf(user);
      return refusal ? { unclaimed: refusal === 'no_user' } : { member: { id: user!.id } };
    },
    decoyMemberId: () => randomUUID(),
    ping,
  };

  const credentials: CredentialStrategy = {
    authorization: ({ credential }) => (credential.strategy === 'static' ? `Bearer ${credential.token}` : undefined),

    async issue({ proof, signedInAt }) {
      // Passkeys are the extension's: a static token is issued on an SMS code only.
      if (proof.method !== 'sms') return undefined;
      const { phone, memberId: knownId, signUp: newcomer } = proof;
      if (newcomer) {
        // Only SIGN_UP=open makes newcomers; without it nobody new signs in.
        if (env.SIGN_UP !== 'open') return undefined;
        await signUp(phone, env.DIRECTUS_MEMBER_ROLE);
      }
      // Who holds the phone now, by the full rules: not the member sealed at start, who may have
      // lost the number, been suspended or been given rights since.
      const holder = await userWhere({ phone: { _eq: phone } });
      if ((await refusalOf(holder)) || (!newcomer && holder!.id !== knownId)) return undefined;
      const token = randomBytes(32).toString('base64url');
      assertFreshToken(token);
      const expiresAt = new Date(signedInAt + env.SESSION_MAX_AGE_SECONDS * 1000);
      // Written only while the row is still what was judged (the same phone, role, provider, no
      // two-factor, active), so a change in between writes nothing. Single use of the code is
      // kept in the sign-in's own store (the code ledger), not here.
      const still = {
        id: { _eq: holder!.id },
        status: { _eq: 'active' },
        phone: { _eq: phone },
        role: { _eq: holder!.role!.id },
        provider: { _eq: 'default' },
        tfa_secret: { _null: true },
      };
      const updated = await call(() =>
        service.request(
          customEndpoint<UserProfile[]>({
            method: 'PATCH',
            path: '/users',
            params: { fields: PROFILE_FIELDS.join(',') },
            body: JSON.stringify({ query: { filter: still }, data: { token, token_expires_at: expiresAt.toISOString() } }),
          }),
        ),
      );
      const user = Array.isArray(updated) && updated.length === 1 ? updated[0] : undefined;
      return user && { user, credential: { strategy: 'static', token } };
    },

    readProfile: (user) => liveMember(user),

    async setFirstName(user, firstName) {
      // Proves the credential is still the live one, of a member; the member role cannot write its own row.
      if (!(await liveMember(user))) return undefined;
      return (await call(() =>
        service.request(updateUser(user.id, { first_name: firstName }, { fields: [...PROFILE_FIELDS] })),
      )) as UserProfile;
    },

    // No refresh: a static token has no expiry of its own.

    async revoke(user) {
      // Directus cannot filter on the concealed token, so ask whether this one still works: a
      // cookie whose token a newer sign-in replaced must not sign that newer device out.
      const id = await ownId(user);
      if (id) await endToken(id);
    },

    // No devices: one token per member, so there are no other devices to list or sign out.

    async sweep(now) {
      let swept = 0;
      for (;;) {
        const batch = await call(() =>
          service.request(
            customEndpoint<{ id: string }[]>({
              method: 'PATCH',
              path: '/users',
              params: { fields: 'id' },
              body: JSON.stringify({
                query: { filter: { token_expires_at: { _lt: now.toISOString() } }, limit: SWEEP_BATCH },
                data: { token: null, token_expires_at: null },
              }),
            }),
          ),
        );
        swept += batch.length;
        if (batch.length < SWEEP_BATCH) return swept;
      }
    },
  };

  return { directory, credentials };
}

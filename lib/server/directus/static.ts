import 'server-only';

import { randomBytes, randomUUID } from 'node:crypto';

import { createUser, customEndpoint, isDirectusError, readMe, readUser, readUsers, staticToken, updateUser, withToken } from '@directus/sdk';

import type { UserProfile } from '@/lib/api-contract';
import type { Env } from '../env';
import type { Credentials, Directory, SignedIn } from '../sign-in/ports';
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
const SWEEP_BATCH = 100;

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
export function createStaticStrategy(env: Env & { DIRECTUS_TOKEN: string }): { directory: Directory; credentials: Credentials } {
  const { client: anonymous, call, ping } = directusClient<MemberSchema>(env);
  const service = anonymous.with(staticToken(env.DIRECTUS_TOKEN));

  /** The row a cookie's token reads of itself; undefined when Directus rejects the token. */
  async function readOwnRow({ credential }: SignedIn): Promise<(Partial<UserProfile> & { id: string }) | undefined> {
    // A credential of the other strategy (the setting changed since sign-in) is simply signed out.
    if (credential.strategy !== 'static') return undefined;
    const { token } = credential;
    try {
      return await anonymous.request(withToken(token, readMe({ fields: [...PROFILE_FIELDS] })));
    } catch (error) {
      if (directusStatus(error) === 401) return undefined;
      throw unavailable(error);
    }
  }

  /** The user holding this phone (the unique index allows one), active or not. */
  async function holderOf(phone: string) {
    const [user] = await call(() => service.request(readUsers({ filter: { phone: { _eq: phone } }, fields: ['id', 'status'], limit: 1 })));
    return user;
  }

  /**
   * A newcomer's member row: this phone, the member role, active, nothing else. Of two concurrent
   * sign-ups for one number the unique index on phone lets one create it; the other finds it.
   */
  async function signUp(phone: string): Promise<string | undefined> {
    try {
      const created = await service.request(createUser({ phone, role: env.DIRECTUS_MEMBER_ROLE!, status: 'active' }, { fields: ['id'] }));
      return created.id;
    } catch (error) {
      if (!(isDirectusError(error) && error.errors?.[0]?.extensions?.code === 'RECORD_NOT_UNIQUE')) throw unavailable(error);
      const holder = await holderOf(phone);
      return holder?.status === 'active' ? holder.id : undefined;
    }
  }

  const directory: Directory = {
    async findActiveMemberByPhone(phone) {
      const user = await holderOf(phone);
      return user?.status === 'active' ? { member: { id: user.id } } : { unclaimed: !user };
    },
    decoyMemberId: () => randomUUID(),
    ping,
  };

  const credentials: Credentials = {
    authorization: ({ credential }) => (credential.strategy === 'static' ? `Bearer ${credential.token}` : undefined),

    async issue({ memberId: knownId, phone, signedInAt, signUp: newcomer }) {
      const memberId = newcomer ? await signUp(phone) : knownId;
      if (!memberId) return undefined;
      const token = randomBytes(32).toString('base64url');
      assertFreshToken(token);
      const expiresAt = new Date(signedInAt + env.SESSION_MAX_AGE_SECONDS * 1000);
      // Update by query, so a member suspended since the start gets nothing. Single use of the
      // code is kept in the sign-in's own store (the code ledger), not here.
      const updated = await call(() =>
        service.request(
          customEndpoint<UserProfile[]>({
            method: 'PATCH',
            path: '/users',
            params: { fields: PROFILE_FIELDS.join(',') },
            body: JSON.stringify({
              query: { filter: { id: { _eq: memberId }, status: { _eq: 'active' } } },
              data: { token, token_expires_at: expiresAt.toISOString() },
            }),
          }),
        ),
      );
      const user = Array.isArray(updated) && updated.length === 1 ? updated[0] : undefined;
      return user && { user, credential: { strategy: 'static', token } };
    },

    async readProfile(user) {
      const me = await readOwnRow(user);
      if (!me) return undefined;
      if (PROFILE_FIELDS.every((field) => field in me)) return me as UserProfile;
      // Directus answered as this person but showed only their id: unlicensed Directus 12 cannot
      // grant "read your own row", so the service account reads the rest of that same row.
      return (await call(() => service.request(readUser(me.id, { fields: [...PROFILE_FIELDS] })))) as UserProfile;
    },

    async setFirstName(user, firstName) {
      // Proves the credential is still the live one; the member role cannot write its own row.
      if (!(await readOwnRow(user))) return undefined;
      return (await call(() => service.request(updateUser(user.id, { first_name: firstName }, { fields: [...PROFILE_FIELDS] })))) as UserProfile;
    },

    // A static token has no expiry of its own to refresh.
    refresh: async (credential) => credential,

    async revoke(user) {
      // Directus cannot filter on the concealed token, so ask whether this one still works: a
      // cookie whose token a newer sign-in replaced must not sign that newer device out.
      if (!(await readOwnRow(user))) return;
      await call(() => service.request(updateUser(user.id, { token: null, token_expires_at: null }, { fields: ['id'] })));
    },

    // One token per member: there are no other devices to sign out.
    revokeOthers: async () => undefined,
    listDevices: async () => undefined,

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

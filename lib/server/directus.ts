import 'server-only';

import {
  createDirectus,
  customEndpoint,
  isDirectusError,
  readMe,
  readUser,
  readUsers,
  rest,
  serverPing,
  staticToken,
  updateUser,
  withToken,
} from '@directus/sdk';

import type { UserProfile } from '@/lib/api-contract';
import type { Env } from './env';
import { AuthError } from './errors';
import type { Directory } from './sign-in/ports';

type MemberSchema = {
  directus_users: {
    id: string;
    status: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    phone: string | null;
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

/** The Directus adapter: the only module that talks to Directus. */
export function createDirectusDirectory(env: Env): Directory {
  const options = () => ({ cache: 'no-store' as const, signal: AbortSignal.timeout(env.DIRECTUS_TIMEOUT_MS) });
  const anonymous = createDirectus<MemberSchema>(env.DIRECTUS_URL).with(rest({ onRequest: (o) => ({ ...o, ...options() }) }));
  const service = anonymous.with(staticToken(env.DIRECTUS_TOKEN));

  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new AuthError('upstream_unavailable', {}, { cause: describe(error) });
    }
  }

  /** The row a credential reads of itself; undefined when Directus rejects the credential. */
  async function readOwnRow(token: string): Promise<(Partial<UserProfile> & { id: string }) | undefined> {
    try {
      return await anonymous.request(withToken(token, readMe({ fields: [...PROFILE_FIELDS] })));
    } catch (error) {
      if (isDirectusError(error) && error.response?.status === 401) return undefined;
      throw new AuthError('upstream_unavailable', {}, { cause: describe(error) });
    }
  }
  const isLive = async (token: string) => (await readOwnRow(token)) !== undefined;

  return {
    async findActiveMemberByPhone(phone) {
      const [user] = await call(() =>
        service.request(
          readUsers({ filter: { phone: { _eq: phone }, status: { _eq: 'active' } }, fields: ['id'], limit: 1 }),
        ),
      );
      return user ? { id: user.id } : undefined;
    },

    async issueToken(userId, token, expiresAt) {
      assertFreshToken(token);
      // Update by query, so a member suspended since the start gets nothing. Single use of the
      // code is kept in the sign-in's own store (the code ledger), not here.
      const updated = await call(() =>
        service.request(
          customEndpoint<UserProfile[]>({
            method: 'PATCH',
            path: '/users',
            params: { fields: PROFILE_FIELDS.join(',') },
            body: JSON.stringify({
              query: { filter: { id: { _eq: userId }, status: { _eq: 'active' } } },
              data: { token, token_expires_at: expiresAt.toISOString() },
            }),
          }),
        ),
      );
      return Array.isArray(updated) && updated.length === 1 ? updated[0] : undefined;
    },

    async readProfile(token) {
      const me = await readOwnRow(token);
      if (!me) return undefined;
      if (PROFILE_FIELDS.every((field) => field in me)) return me as UserProfile;
      // Directus answered as this person but showed only their id: unlicensed Directus 12 cannot
      // grant "read your own row", so the service account reads the rest of that same row.
      return (await call(() => service.request(readUser(me.id, { fields: [...PROFILE_FIELDS] })))) as UserProfile;
    },

    async revokeToken(userId, token) {
      // Directus cannot filter on the concealed token, so ask whether this one still works: a
      // cookie whose credential a newer sign-in replaced must not sign that newer device out.
      if (!(await isLive(token))) return;
      await call(() => service.request(updateUser(userId, { token: null, token_expires_at: null }, { fields: ['id'] })));
    },

    async sweepExpiredTokens(now) {
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

    async ping() {
      await call(() => anonymous.request(serverPing()));
    },
  };
}

function describe(error: unknown): string {
  if (isDirectusError(error)) {
    const code = error.errors?.[0]?.extensions?.code ?? 'unknown';
    return `directus ${error.response?.status ?? '?'} ${code}`;
  }
  if (error instanceof Error) return `directus ${error.name}: ${error.message}`;
  return 'directus error';
}

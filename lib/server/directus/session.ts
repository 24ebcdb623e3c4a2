import 'server-only';

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

import type { UserProfile } from '@/lib/api-contract';
import type { StrategyEnv } from '../env';
import { ApiError } from '../errors';
import type { CredentialStrategy, Device, Directory, HeldCredential } from '../sign-in/ports';
import { directusClient } from './client';
import { extensionClient, type Issued } from './extension';
import { passkeySignIn } from './passkeys';

/** Directus's SESSION_COOKIE_NAME default: session-mode refresh and logout read the token from it. */
const SESSION_COOKIE = 'directus_session_token';

type ExtensionDevice = { id: string; user_agent: string | null; refreshed_at: string | null; expires_at: string; current: boolean };
type SessionCredential = Extract<HeldCredential, { strategy: 'session' }>;

/**
 * The `session` strategy: the sms-sign-in Directus extension (extensions/sms-sign-in) finds
 * members and issues ordinary Directus sessions after it has seen Plivo verify the phone itself;
 * the app holds only the extension's key. Session-mode tokens are checked against
 * directus_sessions on every request, so a sign-out or a suspension takes effect at once.
 */
export function createSessionStrategy(env: StrategyEnv<'session'>): { directory: Directory; credentials: CredentialStrategy } {
  const { ping } = directusClient(env);
  const extension = extensionClient(env);
  const { request, unlessRefused, withKey, asMember } = extension;
  // Directus names the refreshed session after the request's User-Agent: pass the person's.
  const asSession = (token: string, userAgent?: string | null) => ({
    Cookie: `${SESSION_COOKIE}=${token}`,
    ...(userAgent ? { 'User-Agent': userAgent } : {}),
  });

  const directory: Directory = {
    async findActiveMemberByPhone(phone) {
      const answer = await unlessRefused(() =>
        request<{ member: string | null; unclaimed?: boolean }>('/sms-sign-in/lookup', {
          method: 'POST',
          body: { phone },
          headers: withKey,
        }),
      );
      if (!answer) throw new ApiError('upstream_unavailable', {}, { cause: 'directus refused the sms-sign-in extension key' });
      const { member, unclaimed } = answer.data;
      // An extension older than sign-up does not say: then nobody is signed up.
      return member ? { member: { id: member } } : { unclaimed: unclaimed === true };
    },
    // Shaped like the extension's own references ("m_" and 32 characters), so cookies match.
    decoyMemberId: () => `m_${randomBytes(24).toString('base64url')}`,
    ping,
  };

  const credentials: CredentialStrategy = {
    authorization: ({ credential }) => (credential.strategy === 'session' ? `Bearer ${credential.token}` : undefined),

    async issue({ proof, ip, userAgent, signedInAt }) {
      // An address the extension can store; Next always knows one, "unknown" only in odd set-ups.
      const client = { ip: isIP(ip) ? ip : '0.0.0.0', user_agent: userAgent };
      const answer =
        proof.method === 'passkey'
          ? await passkeySignIn(extension, { ceremony: proof.ceremony, response: proof.response, ...client })
          : await unlessRefused(() =>
              request<Issued>('/sms-sign-in/issue', {
                method: 'POST',
                headers: withKey,
                body: {
                  phone: proof.phone,
                  plivo_session_uuid: proof.codeId,
                  ...client,
                  // A newcomer has no reference yet: the extension creates the member (or finds the one
                  // a concurrent sign-up created).
                  ...(proof.signUp ? { member: null, sign_up: true } : { member: proof.memberId }),
                },
              }),
            );
      if (!answer) return undefined;
      const { access_token, expires, member } = answer.data;
      return { user: member, credential: sessionCredential(access_token, signedInAt, expires) };
    },

    async readProfile(user) {
      const token = sessionTokenOf(user.credential);
      if (!token) return undefined;
      const answer = await unlessRefused(() => request<{ member: UserProfile }>('/sms-sign-in/me', { headers: asMember(token) }));
      return answer?.data.member;
    },

    async setFirstName(user, firstName) {
      const token = sessionTokenOf(user.credential);
      if (!token) return undefined;
      const answer = await unlessRefused(() =>
        request<{ member: UserProfile }>('/sms-sign-in/me/first-name', {
          method: 'POST',
          body: { first_name: firstName },
          headers: asMember(token),
        }),
      );
      return answer?.data.member;
    },

    async refresh(credential, { userAgent }) {
      const token = sessionTokenOf(credential);
      if (!token) return undefined;
      const now = Date.now();
      const answer = await unlessRefused(() =>
        request<{ data: { expires: number } }>('/auth/refresh', {
          method: 'POST',
          body: { mode: 'session' },
          headers: asSession(token, userAgent),
        }),
      );
      const fresh = answer && new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(answer.headers.get('set-cookie') ?? '')?.[1];
      return fresh ? sessionCredential(fresh, now, answer.data.data.expires) : undefined;
    },

    async revoke(user) {
      const token = sessionTokenOf(user.credential);
      // A session Directus no longer knows is revoked already.
      if (token)
        await unlessRefused(() => request('/auth/logout', { method: 'POST', body: { mode: 'session' }, headers: asSession(token) }));
    },

    devices: {
      async revokeOthers(user) {
        const token = sessionTokenOf(user.credential);
        if (token) await unlessRefused(() => request('/sms-sign-in/devices/end-others', { method: 'POST', headers: asMember(token) }));
      },

      async list(user) {
        const token = sessionTokenOf(user.credential);
        const answer = token
          ? await unlessRefused(() => request<{ devices: ExtensionDevice[] }>('/sms-sign-in/devices', { headers: asMember(token) }))
          : undefined;
        return (answer?.data.devices ?? []).map((device): Device => ({
          id: device.id,
          userAgent: device.user_agent,
          lastActiveAt: device.refreshed_at,
          // Directus keeps no sign-in time per session; this device's own is in its cookie.
          signedInAt: device.current ? new Date(user.signedInAt).toISOString() : null,
          current: device.current,
        }));
      },
    },
    // No sweep: Directus deletes expired sessions itself when it issues new ones.
  };

  return { directory, credentials };
}

/**
 * A session credential, due for a refresh half way through its lifetime: Directus gives the
 * session token and its row the same lifetime (SESSION_COOKIE_TTL) and cannot refresh an expired
 * one, so refreshing half way keeps anyone who comes back within that half signed in.
 */
function sessionCredential(token: string, issuedAt: number, lifetimeMs: number): SessionCredential {
  return { strategy: 'session', token, expiresAt: issuedAt + lifetimeMs, refreshAt: issuedAt + lifetimeMs / 2 };
}

/** A credential of the other strategy (the setting changed since sign-in) has no session: signed out. */
function sessionTokenOf(credential: HeldCredential): string | undefined {
  return credential.strategy === 'session' ? credential.token : undefined;
}

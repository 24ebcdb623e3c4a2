import 'server-only';

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

import type { UserProfile } from '@/lib/api-contract';
import type { Env } from '../env';
import { ApiError } from '../errors';
import type { Credential, Credentials, Device, Directory } from '../sign-in/ports';
import { directusClient, unavailable } from './client';

const KEY_HEADER = 'X-SMS-Sign-In-Key';
/** Directus's SESSION_COOKIE_NAME default: session-mode refresh and logout read the token from it. */
const SESSION_COOKIE = 'directus_session_token';

type Issued = { access_token: string; expires: number; member: UserProfile };
type ExtensionDevice = { id: string; user_agent: string | null; refreshed_at: string | null; expires_at: string; current: boolean };
type SessionCredential = Extract<Credential, { strategy: 'session' }>;

/** Thrown for a Directus answer that is not a success; `status` tells refusals from outages. */
class DirectusAnswer extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`directus ${status} ${code}`);
  }
}

/**
 * The `session` strategy: the sms-sign-in Directus extension (extensions/sms-sign-in) finds
 * members and issues ordinary Directus sessions after it has seen Plivo verify the phone itself;
 * the app holds only the extension's key. Session-mode tokens are checked against
 * directus_sessions on every request, so a sign-out or a suspension takes effect at once.
 */
export function createSessionStrategy(env: Env & { DIRECTUS_EXTENSION_KEY: string }): { directory: Directory; credentials: Credentials } {
  const base = env.DIRECTUS_URL.replace(/\/+$/, '');
  const { ping } = directusClient(env);

  async function request<T>(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ data: T; headers: Headers }> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        cache: 'no-store',
        signal: AbortSignal.timeout(env.DIRECTUS_TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(error);
    }
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) throw new DirectusAnswer(response.status, errorCodeOf(json));
    return { data: json as T, headers: response.headers };
  }

  /** Answers undefined where Directus refuses (a 401 or 403), and a 503 for anything else. */
  async function unlessRefused<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DirectusAnswer && (error.status === 401 || error.status === 403)) return undefined;
      throw error instanceof ApiError ? error : unavailable(error);
    }
  }

  const withKey = { [KEY_HEADER]: env.DIRECTUS_EXTENSION_KEY };
  const asMember = (token: string) => ({ Authorization: `Bearer ${token}` });
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

  const credentials: Credentials = {
    authorization: ({ credential }) => (credential.strategy === 'session' ? `Bearer ${credential.token}` : undefined),

    async issue({ memberId, phone, plivoSessionUuid, ip, userAgent, signedInAt, signUp }) {
      const answer = await unlessRefused(() =>
        request<Issued>('/sms-sign-in/issue', {
          method: 'POST',
          headers: withKey,
          // An address the extension can store; Next always knows one, "unknown" only in odd set-ups.
          body: {
            phone,
            plivo_session_uuid: plivoSessionUuid,
            ip: isIP(ip) ? ip : '0.0.0.0',
            user_agent: userAgent,
            // A newcomer has no reference yet: the extension creates the member (or finds the one
            // a concurrent sign-up created).
            ...(signUp ? { member: null, sign_up: true } : { member: memberId }),
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

    async revokeOthers(user) {
      const token = sessionTokenOf(user.credential);
      if (token) await unlessRefused(() => request('/sms-sign-in/devices/end-others', { method: 'POST', headers: asMember(token) }));
    },

    async listDevices(user) {
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

    // Directus deletes expired sessions itself when it issues new ones.
    sweep: async () => 0,
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
function sessionTokenOf(credential: Credential): string | undefined {
  return credential.strategy === 'session' ? credential.token : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorCodeOf(json: unknown): string {
  const body = json as { error?: { code?: unknown }; errors?: Array<{ extensions?: { code?: unknown } }> } | undefined;
  const code = body?.error?.code ?? body?.errors?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : 'unknown';
}

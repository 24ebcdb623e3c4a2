import 'server-only';

import { createHash, hkdfSync } from 'node:crypto';

import { sealData, unsealData } from 'iron-session';

import type { Env } from '../env';
import { sessionDataSchema, type SessionData } from '../sign-in/session-data';

// Each secret's id is derived from the secret itself, so rotation never depends on list order:
// a cookie names the secret that sealed it, and any secret still configured can open it.
function secretId(secret: string): number {
  return Number.parseInt(createHash('sha256').update(secret).digest('hex').slice(0, 12), 16);
}

/** The session cookie's names: `__Host-` (which browsers only accept Secure) in production. */
export const SESSION_COOKIE_NAMES = { production: '__Host-sms-sign-in', development: 'sms-sign-in' } as const;

/** The session cookie's name and attributes: `__Host-` and Secure in production. */
export function sessionCookie(env: Env) {
  const production = env.NODE_ENV === 'production';
  return {
    name: production ? SESSION_COOKIE_NAMES.production : SESSION_COOKIE_NAMES.development,
    options: { httpOnly: true, secure: production, sameSite: 'lax', path: '/' } as const,
    ttl: env.SESSION_MAX_AGE_SECONDS,
  };
}

/**
 * The 32-byte key iron seals with, derived once per secret. Given a password string iron derives
 * a key with PBKDF2 and a fresh salt on every seal and every unseal (twice each: encryption and
 * integrity); given key bytes it uses them as they are. Cookies sealed under a password string
 * (before this key) open as empty sessions: their holders sign in again.
 */
function sealKey(secret: string): string {
  const key = new Uint8Array(hkdfSync('sha256', secret, '', 'sms-sign-in session cookie', 32));
  // iron-session's types say string; it hands the value to iron-webcrypto, which takes bytes too.
  return key as unknown as string;
}

/** One sealer per configuration (getEnv answers the same object for the life of the process). */
const sealers = new WeakMap<Env, { seal(data: SessionData): Promise<string>; open(sealed: string | undefined): Promise<SessionData> }>();

/** Seals and opens session data; kept apart from Next's cookie API so tests can use it anywhere. */
export function sessionSealer(env: Env) {
  const known = sealers.get(env);
  if (known) return known;
  const keys = Object.fromEntries(
    [env.SESSION_SECRET, ...env.SESSION_SECRETS_PREVIOUS].map((secret) => [secretId(secret), sealKey(secret)]),
  );
  const currentId = secretId(env.SESSION_SECRET);
  const current = { [currentId]: keys[currentId]! };
  const ttl = env.SESSION_MAX_AGE_SECONDS;
  const sealer = {
    seal: (data: SessionData) => sealData(data, { password: current, ttl }),
    /** Anything unreadable (tampered, foreign secret, expired, old shape) is an empty session. */
    async open(sealed: string | undefined): Promise<SessionData> {
      if (!sealed) return {};
      const parsed = sessionDataSchema.safeParse(await unsealData(sealed, { password: keys, ttl }));
      return parsed.success ? parsed.data : {};
    },
  };
  sealers.set(env, sealer);
  return sealer;
}

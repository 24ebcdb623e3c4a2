import 'server-only';

import { createHash, hkdfSync } from 'node:crypto';

import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';

import { CHANNELS } from '@/lib/api-contract';

import type { Env } from './env';

const pendingSchema = z.object({
  userId: z.string(),
  sessionUuid: z.string(),
  phone: z.string(),
  channel: z.enum(CHANNELS),
  /** When the code was first sent: its lifetime counts from here, for members and strangers alike. */
  startedAt: z.number(),
  // 1 when no member has this number and nothing was sent; a digit keeps the cookie size equal.
  decoy: z.union([z.literal(0), z.literal(1)]),
  // 1 when nobody holds this number and it was sent a real code to sign up with (SIGN_UP=open).
  newcomer: z.union([z.literal(0), z.literal(1)]).default(0),
  /**
   * The name of the latest delivery of the code (a uuid, a decoy's too), under which its status is
   * kept. Absent only in cookies sealed before delivery statuses existed, which must still open.
   */
  delivery: z.string().optional(),
});

/** A person's Directus credential for one device. */
const credentialSchema = z.discriminatedUnion('strategy', [
  // A static token on the member's row (`static` strategy): one per member, no expiry of its own.
  z.object({ strategy: z.literal('static'), token: z.string() }),
  // An ordinary Directus session (`session` strategy): its token, when it dies and when it is
  // due for a refresh (epoch ms).
  z.object({ strategy: z.literal('session'), token: z.string(), expiresAt: z.number(), refreshAt: z.number() }),
]);

/** Who is signed in on this device, and since when (the absolute lifetime counts from then). */
const signedInSchema = z.object({
  id: z.string(),
  signedInAt: z.number(),
  credential: credentialSchema,
  // 1 until a person who signed in without a first name (a newcomer) gives one: the first-name step.
  needsFirstName: z.literal(1).optional(),
});

const sessionSchema = z.object({
  pending: pendingSchema.optional(),
  user: signedInSchema.optional(),
});

/** A code on its way to the person; it lives only inside the encrypted cookie. */
export type PendingVerification = z.infer<typeof pendingSchema>;
export type SessionData = z.infer<typeof sessionSchema>;
export type Credential = z.infer<typeof credentialSchema>;
export type SignedIn = z.infer<typeof signedInSchema>;

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
      const parsed = sessionSchema.safeParse(await unsealData(sealed, { password: keys, ttl }));
      return parsed.success ? parsed.data : {};
    },
  };
  sealers.set(env, sealer);
  return sealer;
}

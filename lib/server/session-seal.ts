import 'server-only';

import { createHash } from 'node:crypto';

import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';

import type { Env } from './env';

const pendingSchema = z.object({
  userId: z.string(),
  sessionUuid: z.string(),
  phone: z.string(),
  channel: z.enum(['sms', 'voice']),
  /** When the code was first sent: its lifetime counts from here, for members and strangers alike. */
  startedAt: z.number(),
  // 1 when no member has this number and nothing was sent; a digit keeps the cookie size equal.
  decoy: z.union([z.literal(0), z.literal(1)]),
});

const sessionSchema = z.object({
  pending: pendingSchema.optional(),
  user: z.object({ id: z.string(), token: z.string() }).optional(),
});

/** A code on its way to the person; it lives only inside the encrypted cookie. */
export type PendingVerification = z.infer<typeof pendingSchema>;
export type SessionData = z.infer<typeof sessionSchema>;

// Each secret's id is derived from the secret itself, so rotation never depends on list order:
// a cookie names the secret that sealed it, and any secret still configured can open it.
function secretId(secret: string): number {
  return Number.parseInt(createHash('sha256').update(secret).digest('hex').slice(0, 12), 16);
}

/** Seals and opens session data; kept apart from Next's cookie API so tests can use it anywhere. */
export function sessionSealer(env: Env) {
  const current = { [secretId(env.SESSION_SECRET)]: env.SESSION_SECRET };
  const all = Object.fromEntries(
    [env.SESSION_SECRET, ...env.SESSION_SECRETS_PREVIOUS].map((secret) => [secretId(secret), secret]),
  );
  const ttl = env.SESSION_MAX_AGE_SECONDS;
  return {
    seal: (data: SessionData) => sealData(data, { password: current, ttl }),
    /** Anything unreadable (tampered, foreign secret, expired, old shape) is an empty session. */
    async open(sealed: string | undefined): Promise<SessionData> {
      if (!sealed) return {};
      const parsed = sessionSchema.safeParse(await unsealData(sealed, { password: all, ttl }));
      return parsed.success ? parsed.data : {};
    },
  };
}


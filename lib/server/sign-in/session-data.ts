import { z } from 'zod';

import { CHANNELS } from '@/lib/api-contract';
import { CREDENTIAL_STRATEGIES } from '@/lib/credential-strategies';

// What the sign-in keeps about one device between requests. The use-cases own these shapes; the
// cookie (lib/server/session/) only seals and opens them.

const [SESSION_STRATEGY, STATIC_STRATEGY] = CREDENTIAL_STRATEGIES;

const pendingSchema = z.object({
  userId: z.string(),
  codeId: z.string(),
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

/** The Directus credential a person holds for one device. */
const heldCredentialSchema = z.discriminatedUnion('strategy', [
  // A static token on the member's row (`static` strategy): one per member, no expiry of its own.
  z.object({ strategy: z.literal(STATIC_STRATEGY), token: z.string() }),
  // An ordinary Directus session (`session` strategy): its token, when it dies and when it is
  // due for a refresh (epoch ms).
  z.object({ strategy: z.literal(SESSION_STRATEGY), token: z.string(), expiresAt: z.number(), refreshAt: z.number() }),
]);

/** Who is signed in on this device, and since when (the absolute lifetime counts from then). */
const signedInSchema = z.object({
  id: z.string(),
  signedInAt: z.number(),
  credential: heldCredentialSchema,
  // 1 until a person who signed in without a first name (a newcomer) gives one: the first-name step.
  needsFirstName: z.literal(1).optional(),
});

/**
 * A passkey ceremony under way on this device: the extension's opaque id for it, which holds its
 * challenge. Kept only here, so that another browser cannot answer it.
 */
const passkeyCeremonySchema = z.object({
  ceremony: z.string(),
  purpose: z.enum(['sign_in', 'register']),
});

/** Everything the sign-in keeps about one device: a code on its way, a passkey ceremony, and who is signed in. */
export const sessionDataSchema = z.object({
  pending: pendingSchema.optional(),
  passkey: passkeyCeremonySchema.optional(),
  user: signedInSchema.optional(),
});

/** A code on its way to the person; it lives only inside the encrypted cookie. */
export type PendingVerification = z.infer<typeof pendingSchema>;
export type SessionData = z.infer<typeof sessionDataSchema>;
export type HeldCredential = z.infer<typeof heldCredentialSchema>;
export type SignedIn = z.infer<typeof signedInSchema>;
export type PasskeyCeremony = z.infer<typeof passkeyCeremonySchema>;

import 'server-only';

import { z } from 'zod';

import { CHANNELS, type SignedInResponse } from '@/lib/api-contract';
import { requestLocale } from '@/lib/i18n/request';
import { clientDevice } from './client-ip';
import { ApiError } from './errors';
import type { AuthStep } from './http';
import { getSignInDeps } from './sign-in-deps';
import { signOutOtherDevices } from './sign-in/devices';
import { signOut } from './sign-in/sign-out';
import { resendCode } from './sign-in/sms/resend';
import { startSignIn } from './sign-in/sms/start';
import { verifyCode } from './sign-in/sms/verify';

// The state-changing steps of signing in, each once: the JSON API (app/api/auth/*) and the plain
// form posts of a page without JavaScript (app/api/auth/form) call the same ones.

const startInput = z.object({
  phone: z.string().min(1).max(40),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .transform((c) => c.toUpperCase())
    .optional(),
  botCheck: z.string().max(4_000).optional(),
});

export const START: AuthStep<z.infer<typeof startInput>> = {
  event: 'start',
  schema: startInput,
  run: async (input, session, { ip }) => startSignIn(getSignInDeps(), session, { ...input, ip, locale: await requestLocale() }),
};

const resendInput = z.object({
  channel: z.enum(CHANNELS).default('sms'),
  botCheck: z.string().max(4_000).optional(),
});

export const RESEND: AuthStep<z.infer<typeof resendInput>> = {
  event: 'resend',
  schema: resendInput,
  run: async (input, session, { ip }) => resendCode(getSignInDeps(), session, { ...input, ip, locale: await requestLocale() }),
};

export const VERIFY: AuthStep<{ code: string }, SignedInResponse> = {
  event: 'verify',
  schema: z.object({ code: z.string().max(32) }),
  run: ({ code }, session, { ip, headers }) => verifyCode(getSignInDeps(), session, { code, ip, ...clientDevice(headers) }),
};

const noInput = z.object({}).loose();

export const LOGOUT: AuthStep<object> = {
  event: 'logout',
  schema: noInput,
  run: async (_input, session) => {
    const { revokeFailed, ...outcome } = await signOut(getSignInDeps(), session);
    // The person is signed out either way; the line says the credential may still be live in Directus.
    return revokeFailed === undefined ? outcome : { ...outcome, log: { reason: `revoke failed: ${String(causeOf(revokeFailed))}` } };
  },
};

/** Ends the person's sessions on every other device; this one stays signed in. */
export const SIGN_OUT_OTHERS: AuthStep<object> = {
  event: 'sign_out_others',
  schema: noInput,
  run: async (_input, session) => {
    if (!session.user) throw new ApiError('unauthorized');
    await signOutOtherDevices(getSignInDeps(), session);
    return { body: { status: 'signed_out_others' } };
  },
};

/** An upstream failure's own cause (what Directus answered) where it carries one. */
function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

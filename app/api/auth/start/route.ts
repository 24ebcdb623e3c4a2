import { z } from 'zod';

import { requestLocale } from '@/lib/i18n/request';
import { handleAuthPost } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { startSignIn } from '@/lib/server/sign-in/sms/start';

const body = z.object({
  phone: z.string().min(1).max(40),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .transform((c) => c.toUpperCase())
    .optional(),
  botCheck: z.string().max(4_000).optional(),
});

export function POST(request: Request) {
  return handleAuthPost(request, 'start', body, async (input, session, ip) =>
    startSignIn(getSignInDeps(), session, {
      ...input,
      ip,
      locale: await requestLocale(),
    }),
  );
}

import { z } from 'zod';

import { CHANNELS } from '@/lib/api-contract';
import { requestLocale } from '@/lib/i18n/request';
import { handleAuthPost } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { resendCode } from '@/lib/server/sign-in/sms/resend';

const body = z.object({
  channel: z.enum(CHANNELS).default('sms'),
  botCheck: z.string().max(4_000).optional(),
});

export function POST(request: Request) {
  return handleAuthPost(request, 'resend', body, async ({ channel, botCheck }, session, ip) =>
    resendCode(getSignInDeps(), session, {
      channel,
      ip,
      botCheck,
      locale: await requestLocale(),
    }),
  );
}

import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in/deps';
import { verifyCode } from '@/lib/server/sign-in/verify';

const body = z.object({ code: z.string().max(32) });

export function POST(request: Request) {
  return handleAuthPost(request, 'verify', body, async ({ code }, session, ip) => {
    // The device's name in the person's list of devices.
    const userAgent = request.headers.get('user-agent')?.slice(0, 1024) ?? null;
    const outcome = await verifyCode(getSignInDeps(), session, { code, ip, userAgent });
    return { ...outcome, log: { userId: outcome.body.user.id } };
  });
}

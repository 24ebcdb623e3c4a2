import { z } from 'zod';

import { clientDevice } from '@/lib/server/client-ip';
import { handleAuthPost } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { verifyCode } from '@/lib/server/sign-in/verify';

const body = z.object({ code: z.string().max(32) });

export function POST(request: Request) {
  return handleAuthPost(request, 'verify', body, ({ code }, session, ip) =>
    verifyCode(getSignInDeps(), session, { code, ip, ...clientDevice(request.headers) }),
  );
}

import { z } from 'zod';

import { ApiError } from '@/lib/server/errors';
import { handleAuthPost } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { signOutOtherDevices } from '@/lib/server/sign-in/devices';

const body = z.object({}).loose();

/** Ends the person's sessions on every other device; this one stays signed in. */
export function POST(request: Request) {
  return handleAuthPost(request, 'sign_out_others', body, async (_input, session) => {
    if (!session.user) throw new ApiError('unauthorized');
    await signOutOtherDevices(getSignInDeps(), session);
    return { body: { status: 'signed_out_others' } };
  });
}

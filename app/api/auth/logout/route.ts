import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { logAuthEvent } from '@/lib/server/log';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { signOut } from '@/lib/server/sign-in/sign-out';

const body = z.object({}).loose();

export function POST(request: Request) {
  return handleAuthPost(request, 'logout', body, async (_input, session) => {
    const { revokeFailed, ...outcome } = await signOut(getSignInDeps(), session);
    // The person is signed out either way; the credential may still be live in Directus.
    if (revokeFailed) logAuthEvent('logout', { userId: session.user?.id, outcome: 'upstream_unavailable', reason: String((revokeFailed as Error).cause ?? revokeFailed) });
    return outcome;
  });
}

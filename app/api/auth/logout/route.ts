import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { signOut } from '@/lib/server/sign-in/sign-out';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

const body = z.object({}).loose();

export function POST(request: Request) {
  return handleAuthPost(request, 'logout', body, async (_input, session) => {
    const { revokeFailed, ...outcome } = await signOut(getSignInDeps(), session);
    // The person is signed out either way; the line says the credential may still be live in Directus.
    return revokeFailed === undefined ? outcome : { ...outcome, log: { reason: `revoke failed: ${String(causeOf(revokeFailed))}` } };
  });
}

/** An upstream failure's own cause (what Directus answered) where it carries one. */
function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

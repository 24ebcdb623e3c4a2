import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { startPasskeySignIn } from '@/lib/server/sign-in/passkey/sign-in';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

export function POST(request: Request) {
  return handleAuthPost(request, {
    event: 'passkey_sign_in_options',
    schema: z.object({}),
    run: (_input, session, { ip }) => startPasskeySignIn(getSignInDeps(), session, { ip }),
  });
}

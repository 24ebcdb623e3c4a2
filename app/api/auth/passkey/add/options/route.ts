import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { startAddingPasskey } from '@/lib/server/sign-in/passkey/manage';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

export function POST(request: Request) {
  return handleAuthPost(request, {
    event: 'passkey_add_options',
    schema: z.object({}),
    run: (_input, session, { ip }) => startAddingPasskey(getSignInDeps(), session, { ip }),
  });
}

import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { removePasskey } from '@/lib/server/sign-in/passkey/manage';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { passkeyId } from '../body';

const body = z.object({ id: passkeyId });

export function POST(request: Request) {
  return handleAuthPost(request, {
    event: 'passkey_remove',
    schema: body,
    run: (input, session) => removePasskey(getSignInDeps(), session, input),
  });
}

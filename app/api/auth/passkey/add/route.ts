import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { addPasskey } from '@/lib/server/sign-in/passkey/manage';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { passkeyCredential } from '../body';

const body = z.object({ response: passkeyCredential, name: z.string().max(200).optional() });

export function POST(request: Request) {
  return handleAuthPost(request, {
    event: 'passkey_add',
    schema: body,
    run: (input, session) => addPasskey(getSignInDeps(), session, input),
  });
}

import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { renamePasskey } from '@/lib/server/sign-in/passkey/manage';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { passkeyId } from '../body';

const body = z.object({ id: passkeyId, name: z.string().max(200) });

export function POST(request: Request) {
  return handleAuthPost(request, {
    event: 'passkey_rename',
    schema: body,
    run: (input, session) => renamePasskey(getSignInDeps(), session, input),
  });
}

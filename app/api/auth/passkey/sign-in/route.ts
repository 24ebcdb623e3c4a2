import { z } from 'zod';

import { clientDevice } from '@/lib/server/client-ip';
import { handleAuthPost } from '@/lib/server/http';
import { signInWithPasskey } from '@/lib/server/sign-in/passkey/sign-in';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { passkeyCredential } from '../body';

const body = z.object({ response: passkeyCredential });

export function POST(request: Request) {
  return handleAuthPost(request, {
    event: 'passkey_sign_in',
    schema: body,
    run: ({ response }, session, { ip, headers }) =>
      signInWithPasskey(getSignInDeps(), session, { response, ip, ...clientDevice(headers) }),
  });
}

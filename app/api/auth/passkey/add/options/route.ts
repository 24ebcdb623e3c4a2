import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { startAddingPasskey } from '@/lib/server/sign-in/passkey/manage';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

export function POST(request: Request) {
  return handleAuthPost(request, 'passkey_add_options', z.object({}), (_input, session, ip) =>
    startAddingPasskey(getSignInDeps(), session, { ip }),
  );
}

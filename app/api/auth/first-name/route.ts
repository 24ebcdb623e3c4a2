import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { saveFirstName } from '@/lib/server/sign-in/first-name';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

export function POST(request: Request) {
  return handleAuthPost(request, {
    event: 'first_name',
    schema: z.object({ firstName: z.string().max(200) }),
    run: (input, session) => saveFirstName(getSignInDeps(), session, input),
  });
}

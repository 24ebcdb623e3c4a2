import { z } from 'zod';

import { handleAuthPost } from '@/lib/server/http';
import { saveFirstName } from '@/lib/server/sign-in/first-name';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

const body = z.object({ firstName: z.string().max(200) });

export function POST(request: Request) {
  return handleAuthPost(request, 'first_name', body, (input, session) => saveFirstName(getSignInDeps(), session, input));
}

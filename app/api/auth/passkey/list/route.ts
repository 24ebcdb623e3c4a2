import type { PasskeyListResponse } from '@/lib/api-contract';
import { clientDevice } from '@/lib/server/client-ip';
import { handleRoute } from '@/lib/server/http';
import { openSession, requestCookies } from '@/lib/server/session/cookie';
import { listPasskeys } from '@/lib/server/sign-in/passkey/manage';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { SignInFailure } from '@/lib/server/errors';

export function GET(request: Request) {
  return handleRoute('passkey_list', async () => {
    const cookie = await openSession(await requestCookies('route-handler'));
    const session = await cookie.keepSignedIn(clientDevice(request.headers));
    try {
      const body: PasskeyListResponse = { passkeys: await listPasskeys(getSignInDeps(), session) };
      await cookie.commit(session);
      return { body };
    } catch (error) {
      // Signed out by Directus: the cookie says so too.
      await cookie.commit(error instanceof SignInFailure ? error.session : session);
      throw error;
    }
  });
}

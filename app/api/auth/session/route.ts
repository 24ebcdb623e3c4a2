import type { SessionResponse } from '@/lib/api-contract';
import { clientDevice } from '@/lib/server/client-ip';
import { handleRoute } from '@/lib/server/http';
import { openSession, requestCookies } from '@/lib/server/session/cookie';
import { loadProfile } from '@/lib/server/sign-in/profile';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

export function GET(request: Request) {
  return handleRoute('session', async () => {
    const cookie = await openSession(await requestCookies('route-handler'));
    const before = cookie.stored;
    const { user, session } = await loadProfile(getSignInDeps(), await cookie.keepSignedIn(clientDevice(request.headers)));
    await cookie.commit(session);
    const body: SessionResponse = user ? { signedIn: true, user } : { signedIn: false };
    // Only a sign-out Directus caused is worth a line; the pages ask this often.
    if (!before.user || user) return { body };
    return { body, log: { userId: before.user.id, outcome: 'unauthorized', reason: 'credential rejected by Directus' } };
  });
}

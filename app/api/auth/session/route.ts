import type { SessionResponse } from '@/lib/api-contract';
import { clientDevice } from '@/lib/server/client-ip';
import { handleError } from '@/lib/server/http';
import { logAuthEvent } from '@/lib/server/log';
import { readSession, writeSession } from '@/lib/server/session';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { keepSignedIn } from '@/lib/server/sign-in/keep-signed-in';
import { loadProfile } from '@/lib/server/sign-in/profile';

export async function GET(request: Request) {
  try {
    const deps = getSignInDeps();
    const before = await readSession();
    const { user, session } = await loadProfile(deps, await keepSignedIn(deps, before, clientDevice(request.headers)));
    if (session !== before) await writeSession(session);
    if (before.user && !user) {
      logAuthEvent('session', { userId: before.user.id, outcome: 'unauthorized', reason: 'credential rejected by Directus' });
    }
    const body: SessionResponse = user ? { signedIn: true, user } : { signedIn: false };
    return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return handleError(error, 'session');
  }
}

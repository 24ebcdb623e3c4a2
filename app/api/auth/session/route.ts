import type { SessionResponse } from '@/lib/api-contract';
import { clientDevice } from '@/lib/server/client-ip';
import { handleRoute } from '@/lib/server/http';
import { readSession, writeSession } from '@/lib/server/session';
import { keepSignedIn } from '@/lib/server/sign-in/keep-signed-in';
import { loadProfile } from '@/lib/server/sign-in/profile';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

export function GET(request: Request) {
  return handleRoute('session', async () => {
    const deps = getSignInDeps();
    const before = await readSession();
    const { user, session } = await loadProfile(deps, await keepSignedIn(deps, before, clientDevice(request.headers)));
    if (session !== before) await writeSession(session);
    const body: SessionResponse = user ? { signedIn: true, user } : { signedIn: false };
    // Only a sign-out Directus caused is worth a line; the pages ask this often.
    if (!before.user || user) return { body };
    return { body, log: { userId: before.user.id, outcome: 'unauthorized', reason: 'credential rejected by Directus' } };
  });
}

import type { SessionResponse } from '@/lib/api-contract';
import { handleError } from '@/lib/server/http';
import { logAuthEvent } from '@/lib/server/log';
import { readSession, writeSession } from '@/lib/server/session';
import { getSignInDeps } from '@/lib/server/sign-in/deps';
import { loadProfile } from '@/lib/server/sign-in/profile';

export async function GET() {
  try {
    const before = await readSession();
    const { user, session } = await loadProfile(getSignInDeps(), before);
    if (before.user && !user) {
      await writeSession(session);
      logAuthEvent('session', { userId: before.user.id, outcome: 'unauthorized', reason: 'credential rejected by Directus' });
    }
    const body: SessionResponse = user ? { signedIn: true, user } : { signedIn: false };
    return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return handleError(error, 'session');
  }
}

import { assertCronCaller } from '@/lib/server/cron';
import { getEnv } from '@/lib/server/env';
import { handleRoute } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

// Nulls Directus credentials past their expiry. Scheduled in vercel.json; elsewhere run
// `npm run tokens:sweep` from cron, or call this with the CRON_SECRET bearer.
export function GET(request: Request) {
  return handleRoute({ route: 'sweep_tokens' }, async () => {
    assertCronCaller(request, getEnv());
    const swept = await getSignInDeps().credentials.sweep(new Date());
    return { body: { status: 'ok', swept }, log: { swept } };
  });
}

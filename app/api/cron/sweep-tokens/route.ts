import { assertCronCaller } from '@/lib/server/cron';
import { getEnv } from '@/lib/server/env';
import { handleRoute } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

// Nulls Directus credentials past their expiry. Scheduled in vercel.json; elsewhere run
// `npm run tokens:sweep` from cron, or call this with the CRON_SECRET bearer.
export function GET(request: Request) {
  return handleRoute({ route: 'sweep_tokens' }, async () => {
    assertCronCaller(request, getEnv());
    const { sweep } = getSignInDeps().credentials;
    // A strategy whose credentials Directus ends itself has nothing to sweep.
    const swept = sweep ? await sweep(new Date()) : 0;
    return { body: { status: 'ok', swept }, log: { swept } };
  });
}

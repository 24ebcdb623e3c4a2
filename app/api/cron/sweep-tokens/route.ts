import { assertCronCaller } from '@/lib/server/cron';
import { getEnv } from '@/lib/server/env';
import { handleError } from '@/lib/server/http';
import { getSignInDeps } from '@/lib/server/sign-in-deps';

// Nulls Directus credentials past their expiry. Scheduled in vercel.json; elsewhere run
// `npm run tokens:sweep` from cron, or call this with the CRON_SECRET bearer.
export async function GET(request: Request) {
  try {
    assertCronCaller(request, getEnv());
    const swept = await getSignInDeps().credentials.sweep(new Date());
    console.info(JSON.stringify({ at: new Date().toISOString(), event: 'token_sweep', outcome: 'ok', swept }));
    return Response.json({ status: 'ok', swept }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return handleError(error, 'internal');
  }
}

import 'server-only';

import { equalSecrets } from './constant-time';
import type { Env } from './env';
import { ApiError } from './errors';

/** Vercel Cron sends `Authorization: Bearer $CRON_SECRET`; without a configured secret, nobody may. */
export function assertCronCaller(request: Request, env: Env) {
  const given = request.headers.get('authorization') ?? '';
  if (!env.CRON_SECRET || !equalSecrets(given, `Bearer ${env.CRON_SECRET}`)) throw new ApiError('unauthorized');
}

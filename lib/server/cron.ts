import 'server-only';

import { createHash, timingSafeEqual } from 'node:crypto';

import type { Env } from './env';
import { ApiError } from './errors';

/** Vercel Cron sends `Authorization: Bearer $CRON_SECRET`; without a configured secret, nobody may. */
export function assertCronCaller(request: Request, env: Env) {
  const given = request.headers.get('authorization') ?? '';
  if (!env.CRON_SECRET || !sameSecret(given, `Bearer ${env.CRON_SECRET}`)) throw new ApiError('unauthorized');
}

function sameSecret(a: string, b: string) {
  // Hash first so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

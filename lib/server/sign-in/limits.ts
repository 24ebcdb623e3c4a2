import { ApiError } from '../errors';
import type { LimitHit, SignInDeps } from './ports';

/** Counts the hits, or refuses with `rate_limited` and the seconds to wait. */
export async function enforce(deps: SignInDeps, hits: readonly LimitHit[]) {
  const wait = await deps.limiter.take(hits);
  if (wait !== undefined) throw new ApiError('rate_limited', { retryAfter: wait });
}

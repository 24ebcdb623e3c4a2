import { ApiError, DeliveryCapReached } from '../../errors';
import type { SmsSignInDeps } from './ports';

/**
 * Runs a real call to the SMS provider for a number in `country`. A refusal that is not about
 * this number alone (an outage, Plivo's own rate limit, our configuration; or the number's
 * country, which Plivo will not send to) is remembered with how long the call took, for the
 * numbers nobody owns, which never reach Plivo (`refuseLikeProvider`). A call that goes through
 * ends what was remembered, so members' calls keep trying and are what ends an outage.
 */
export async function callProvider<T>(deps: SmsSignInDeps, country: string | undefined, work: () => Promise<T>): Promise<T> {
  const since = deps.pacer.mark();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (error instanceof ApiError && !isAboutTheNumber(error)) {
      const refusal = { code: error.code, retryAfter: error.extra.retryAfter, tookMs: deps.pacer.mark() - since };
      if (error.code !== 'country_not_allowed') await deps.providerRefusals.remember(refusal);
      else if (country) await deps.providerRefusals.remember(refusal, country);
    }
    throw error;
  }
  // Not waited for (a round trip less on every send and check): should it fail, the store is
  // failing this request's next step anyway, and what stays remembered ends on its own.
  deps.providerRefusals.forget(country).catch(() => undefined);
  return result;
}

/**
 * For a number nobody owns: refuses it as a member's real call begun at `since` would be refused
 * now, after as long as that call took; returns when nothing is being refused.
 */
export async function refuseLikeProvider(deps: SmsSignInDeps, country: string | undefined, since: number): Promise<void> {
  const refusal = await deps.providerRefusals.current(country);
  if (!refusal) return;
  await deps.pacer.waitUntil(since, refusal.tookMs);
  throw new ApiError(refusal.code, refusal.retryAfter === undefined ? {} : { retryAfter: refusal.retryAfter });
}

/** Refusals that say something about this one number, which another number would not meet. */
function isAboutTheNumber(error: ApiError): boolean {
  return error.code === 'invalid_phone' || error instanceof DeliveryCapReached;
}

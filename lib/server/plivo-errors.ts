import 'server-only';

import { ApiError, DeliveryCapReached } from './errors';

/**
 * Plivo's status code for an SDK rejection. The SDK rejects with a bare string on network errors
 * and timeouts, with `status` for some HTTP codes and only a message for others
 * (see reference/plivo-verify.md §9).
 */
export function plivoErrorStatus(error: unknown): number | undefined {
  if (typeof error === 'string') return undefined;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status;
  const match = /status code (\d{3})/.exec(String((error as Error | null)?.message ?? ''));
  return match ? Number(match[1]) : undefined;
}

/**
 * Plivo's 429 says nothing of when it ends (the SDK drops its body and headers), so we ask people
 * to wait a minute.
 */
export const PLIVO_RATE_LIMIT_RETRY_SECONDS = 60;

/**
 * What a rejected Plivo call means for the person. On create, a 403 is Plivo's Geo Permissions
 * refusal, and a 400 is about the number: its session's delivery cap, or the number itself. A 429
 * is Plivo's own rate limit. Any other 4xx is about our request (credentials, app uuid), which
 * is our configuration, not an outage; what is left (5xx, timeouts, network errors, malformed
 * answers) is Plivo being unavailable. Plivo documents no error texts, so the texts only tell
 * apart 400s of create, and anything unrecognised stays a failure on our side.
 */
export function plivoFailure(error: unknown, operation: 'create' | 'other'): ApiError {
  const status = plivoErrorStatus(error);
  const cause = describe(error);
  const text = typeof (error as Error | null)?.message === 'string' ? (error as Error).message : '';
  if (status === 429) return new ApiError('rate_limited', { retryAfter: PLIVO_RATE_LIMIT_RETRY_SECONDS }, { cause });
  if (operation === 'create' && status === 403) return new ApiError('country_not_allowed', {}, { cause });
  if (operation === 'create' && status === 400 && /\battempts?\b/i.test(text)) return new DeliveryCapReached({ cause });
  if (operation === 'create' && status === 400 && /recipient|number|destination/i.test(text))
    return new ApiError('invalid_phone', {}, { cause });
  if (status !== undefined && status >= 400 && status < 500) return new ApiError('internal_error', {}, { cause });
  // Keep the SDK's text out of responses; it can carry request bodies (`moreInfo`).
  return new ApiError('upstream_unavailable', {}, { cause });
}

/** A log line's reason: the status and Plivo's text, with anything like a phone number taken out. */
function describe(error: unknown): string {
  const status = plivoErrorStatus(error);
  const text =
    typeof error === 'string'
      ? (error.split('\n')[0] ?? 'network error')
      : `plivo ${status ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`;
  return text.slice(0, 200).replace(/\+?\d[\d ]{6,}\d/g, '[number]');
}

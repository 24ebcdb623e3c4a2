import 'server-only';

import type { ClientError } from '@/lib/api-client';
import { isErrorCode } from './errors';

export type PageQuery = Record<string, string | string[] | undefined>;

/**
 * The error a plain form post was refused with, as the page it was sent back to names it in its
 * query (`error`, `retryAfter`, `attemptsLeft`: lib/server/http.ts, formStep), or null.
 */
export function formErrorFromQuery(params: PageQuery): ClientError | null {
  if (!isErrorCode(params.error)) return null;
  const figure = (name: string) => {
    const value = Number(params[name]);
    return typeof params[name] === 'string' && Number.isFinite(value) && value >= 0 ? { [name]: value } : {};
  };
  return { code: params.error, ...figure('retryAfter'), ...figure('attemptsLeft') };
}

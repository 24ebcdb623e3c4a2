// What a form's alert says about a failed API call, in the page's language.
import type { ClientError } from '@/lib/api-client';
import type { Translate } from '@/lib/i18n/translate';
import { formatWait } from '@/lib/wait-time';

export function attemptsLeftText(attemptsLeft: number | undefined, t: Translate): string {
  if (attemptsLeft === undefined || !Number.isFinite(attemptsLeft) || attemptsLeft < 0) return '';
  return t('errors.attemptsLeft', { count: attemptsLeft });
}

/**
 * The error's sentence in the page's language. The server's `message` is in the language it
 * picked for the request, which is the page's too, but only the page's catalog follows a switch
 * made while the error is shown; a code this page does not know keeps the server's sentence.
 */
export function errorSentence(error: ClientError, t: Translate): string {
  const key = `errors.${error.code === 'bad_response' ? 'internal_error' : error.code}` as const;
  return t.has(key) || error.message === undefined ? t(key) : error.message;
}

/**
 * The sentence shown in the form's alert: what went wrong plus what to do next. `scripted`: the
 * page runs JavaScript (false in the server's HTML and until it hydrates), which is what a
 * proof-of-work check asked of a plain form post (no challenge with it) needs.
 */
export function errorText(error: ClientError, t: Translate, { scripted = true }: { scripted?: boolean } = {}): string {
  if (error.code.startsWith('bot_check_') && !error.botCheck) return t(scripted ? 'errors.botCheckAgain' : 'errors.botCheckNeedsScript');
  const parts = [errorSentence(error, t)];
  if (error.code === 'invalid_code') parts.push(attemptsLeftText(error.attemptsLeft, t));
  if (error.retryAfter !== undefined && error.retryAfter > 0) parts.push(t('errors.tryAgainIn', { wait: formatWait(error.retryAfter, t) }));
  return parts.filter(Boolean).join(' ');
}

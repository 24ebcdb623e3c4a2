// Browser-side helpers for the sign-in forms. Pure functions plus one fetch wrapper; no
// server imports and no validation library, so the login page's JS stays small.
import type { useTranslations } from 'next-intl';

import type { ApiErrorBody, ErrorCode } from '@/lib/api-contract';
import { asciiDigits } from '@/lib/digits';

/** The page's translator (next-intl's useTranslations()), so these helpers stay pure. */
export type Translate = ReturnType<typeof useTranslations<never>>;

/** ASCII digits only: a pasted "123 456", "G-123456" or "١٢٣٤٥٦" becomes "123456". */
export function sanitizeCode(raw: string, maxLength = 8): string {
  return asciiDigits(raw).replace(/\D/g, '').slice(0, maxLength);
}

/**
 * A `next` value we may navigate to: a same-origin path such as "/account?tab=1".
 * Rejects absolute URLs, protocol-relative "//host", "/\host" (browsers read "\" as "/"),
 * and control characters (browsers drop tabs and newlines, so "/\t/host" would become "//host").
 * The check is on the path the browser will request: dot segments, plain or percent-encoded, are
 * resolved first, so "/.//host", "/%2e//host" and "/a/..//host" (all "//host") are refused too.
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return null;
  if (!next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return null;
  try {
    const base = 'https://app.invalid';
    const url = new URL(next, base);
    if (url.origin !== base || !isPlainPath(url.pathname)) return null;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}

/**
 * A resolved path that stays a path wherever it is used: not "//host" or "/\host", and no
 * encoded slash or backslash that a server or proxy decoding it could turn into one.
 */
function isPlainPath(pathname: string): boolean {
  return !/^\/[/\\]/.test(pathname) && !/%(2f|5c)/i.test(pathname);
}

/** "27 s", "1 min 5 s", "2 min" (in the page's language). */
export function formatWait(totalSeconds: number, t: Translate): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  if (s < 60) return t('wait.seconds', { seconds: s });
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  return rest === 0 ? t('wait.minutes', { minutes }) : t('wait.minutesSeconds', { minutes, seconds: rest });
}

/** Whole seconds left until `deadline` (ms since epoch), never negative. */
export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

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

/** The sentence shown in the form's alert: what went wrong plus what to do next. */
export function errorText(error: ClientError, t: Translate): string {
  const parts = [errorSentence(error, t)];
  if (error.code === 'invalid_code') parts.push(attemptsLeftText(error.attemptsLeft, t));
  if (error.retryAfter !== undefined && error.retryAfter > 0) parts.push(t('errors.tryAgainIn', { wait: formatWait(error.retryAfter, t) }));
  return parts.filter(Boolean).join(' ');
}

export type ClientError = {
  code: ErrorCode | 'network_error' | 'bad_response';
  /** The server's sentence, when it sent one. */
  message?: string;
  retryAfter?: number;
  attemptsLeft?: number;
};

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };


function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Turns any response body into a ClientError a person can read. */
export function toClientError(status: number, body: unknown): ClientError {
  if (isErrorBody(body)) {
    const { code, message, retryAfter, attemptsLeft } = body.error;
    return {
      code,
      message,
      ...(typeof retryAfter === 'number' ? { retryAfter } : {}),
      ...(typeof attemptsLeft === 'number' ? { attemptsLeft } : {}),
    };
  }
  return { code: status === 429 ? 'rate_limited' : 'bad_response' };
}

/** POSTs JSON to one of our API routes; never throws. */
export function postJson<T>(path: string, body: unknown): Promise<ApiResult<T>> {
  return requestJson<T>(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

export function getJson<T>(path: string): Promise<ApiResult<T>> {
  return requestJson<T>(path, { method: 'GET', headers: { Accept: 'application/json' } });
}

async function requestJson<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    return { ok: false, error: { code: 'network_error' } };
  }
  let data: unknown = null;
  try {
    data = await response.json();
  } catch {
    // An HTML error page from a proxy, or an empty body: handled below.
  }
  if (response.ok && data !== null && typeof data === 'object') return { ok: true, data: data as T };
  return { ok: false, error: toClientError(response.status, data) };
}

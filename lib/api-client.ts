// The browser's client for our HTTP API (docs/api.md): one fetch wrapper that never throws and
// turns every failure into a ClientError. No server imports, so the login page's JS stays small.
import type { ApiErrorBody, BotCheckChallenge, ErrorCode } from '@/lib/api-contract';

/** Why a passkey ceremony in the browser ended without an answer: the person said no, or the browser refused. */
export type CeremonyFailure = 'passkey_cancelled' | 'passkey_failed';

export type ClientError = {
  code: ErrorCode | 'network_error' | 'bad_response' | CeremonyFailure;
  /** The server's sentence, when it sent one. */
  message?: string;
  retryAfter?: number;
  attemptsLeft?: number;
  /** A proof-of-work challenge to solve and send the request again with (components/use-bot-check.tsx). */
  botCheck?: BotCheckChallenge;
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
    const { code, message, retryAfter, attemptsLeft, botCheck } = body.error;
    return {
      code,
      message,
      ...(typeof retryAfter === 'number' ? { retryAfter } : {}),
      ...(typeof attemptsLeft === 'number' ? { attemptsLeft } : {}),
      ...(typeof botCheck?.parameters === 'object' ? { botCheck } : {}),
    };
  }
  return { code: status === 429 ? 'rate_limited' : 'bad_response' };
}

// Each POST may answer with a new session cookie, written whole from the one its request carried:
// two at once (the passkey options asked on load, and Send code) would each drop the other's
// change. So a page sends its posts one after another.
let lastPost: Promise<unknown> = Promise.resolve();

/** POSTs JSON to one of our API routes, after the page's earlier posts have been answered; never throws. */
export function postJson<T>(path: string, body: unknown): Promise<ApiResult<T>> {
  const result = lastPost.then(() =>
    requestJson<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  lastPost = result;
  return result;
}

export function getJson<T>(path: string): Promise<ApiResult<T>> {
  return requestJson<T>(path, {
    method: 'GET',
    headers: { Accept: 'application/json' },
  });
}

async function requestJson<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      cache: 'no-store',
    });
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

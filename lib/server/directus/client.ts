import 'server-only';

import { createDirectus, isDirectusError, rest, serverPing } from '@directus/sdk';

import type { ErrorCode } from '@/lib/api-contract';
import type { Env } from '../env';
import { ApiError } from '../errors';

/**
 * The one way this app talks to Directus (DIRECTUS_URL, DIRECTUS_TIMEOUT_MS): a REST client whose
 * every request has the configured timeout and bypasses Next's fetch cache (and carries `headers`,
 * such as a person's Authorization), and a wrapper that turns any failure into a 503 whose cause
 * names what Directus said (never a token or a body). Requests the SDK does not fit go through
 * directusFetch below, with the same base URL, timeout and errors.
 */
export function directusClient<Schema extends object>(env: Env, headers: Record<string, string> = {}) {
  const client = createDirectus<Schema>(env.DIRECTUS_URL).with(
    rest({
      onRequest: (options) => ({
        ...options,
        headers: { ...(options.headers as Record<string, string> | undefined), ...headers },
        cache: 'no-store',
        signal: AbortSignal.timeout(env.DIRECTUS_TIMEOUT_MS),
      }),
    }),
  );
  return {
    client,
    call: async <T>(work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        throw unavailable(error);
      }
    },
    ping: () =>
      client.request(serverPing()).then(
        () => undefined,
        (error: unknown) => Promise.reject(unavailable(error)),
      ),
  };
}

/**
 * A request to Directus by hand, for what the SDK does not fit (the extension's endpoints with
 * their own headers, the pass-through's streamed answers): the configured base URL, never Next's
 * fetch cache, and at most DIRECTUS_TIMEOUT_MS to wait for the answer to start; `signal` may end
 * it sooner, or bound the reading of the body too. Not getting an answer is `unavailable`; the
 * answer, whatever its status, is the caller's to read.
 */
export async function directusFetch(
  env: Env,
  path: string,
  init: { method?: string; headers?: HeadersInit; body?: string; redirect?: RequestRedirect; signal?: AbortSignal },
): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${env.DIRECTUS_TIMEOUT_MS} ms`)), env.DIRECTUS_TIMEOUT_MS);
  try {
    return await fetch(`${env.DIRECTUS_URL}${path}`, {
      ...init,
      cache: 'no-store',
      signal: init.signal ? AbortSignal.any([timeout.signal, init.signal]) : timeout.signal,
    });
  } catch (error) {
    throw unavailable(error);
  } finally {
    clearTimeout(timer); // a body may take longer: it is read for as long as the caller reads it
  }
}

export function unavailable(error: unknown): ApiError {
  return new ApiError('upstream_unavailable', {}, { cause: describeDirectusError(error) });
}

// What Directus refusing a request made as a person means for that person; any other 4xx (a bad
// query, an unsatisfiable range, …) is theirs to fix, and anything else (5xx, redirects, no
// answer) is Directus being unavailable.
const REFUSALS: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized', // their credential is dead: signed out
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
};

/** The error for a Directus answer to a person's request (`status`), or for not getting one. */
export function personRequestError(status: number | undefined, headers: Headers | undefined, cause: unknown): ApiError {
  const clientError = status !== undefined && status >= 400 && status < 500;
  const code = clientError ? (REFUSALS[status] ?? 'invalid_request') : undefined;
  if (!code) return unavailable(cause);
  const retryAfter = code === 'rate_limited' ? Math.max(1, Number.parseInt(headers?.get('retry-after') ?? '', 10) || 1) : undefined;
  return new ApiError(code, retryAfter === undefined ? {} : { retryAfter }, { cause: `directus ${status}` });
}

/** A person's SDK request that failed, as personRequestError sees it. */
export function personSdkError(error: unknown): ApiError {
  return isDirectusError(error) ? personRequestError(error.response?.status, error.response?.headers, error) : unavailable(error);
}

/** The HTTP status Directus answered with, if it answered. */
export function directusStatus(error: unknown): number | undefined {
  return isDirectusError(error) ? error.response?.status : undefined;
}

function describeDirectusError(error: unknown): string {
  if (isDirectusError(error)) {
    const code = error.errors?.[0]?.extensions?.code ?? 'unknown';
    return `directus ${error.response?.status ?? '?'} ${code}`;
  }
  if (error instanceof Error) return `directus ${error.name}: ${error.message}`;
  return 'directus error';
}

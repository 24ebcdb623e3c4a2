import 'server-only';

import { createDirectus, isDirectusError, rest, serverPing } from '@directus/sdk';

import type { ErrorCode } from '@/lib/api-contract';
import type { Env } from '../env';
import { ApiError } from '../errors';

/**
 * The one way this app talks to Directus: a REST client whose every request has the configured
 * timeout and bypasses Next's fetch cache (and carries `headers`, such as a person's
 * Authorization), and a wrapper that turns any failure into a 503 whose cause names what Directus
 * said (never a token or a body).
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

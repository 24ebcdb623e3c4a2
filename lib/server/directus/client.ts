import 'server-only';

import { createDirectus, isDirectusError, rest, serverPing } from '@directus/sdk';

import type { Env } from '../env';
import { AuthError } from '../errors';

/**
 * The one way this app talks to Directus: a REST client whose every request has the configured
 * timeout and bypasses Next's fetch cache, and a wrapper that turns any failure into a 503 whose
 * cause names what Directus said (never a token or a body).
 */
export function directusClient<Schema extends object>(env: Env) {
  const client = createDirectus<Schema>(env.DIRECTUS_URL).with(
    rest({ onRequest: (options) => ({ ...options, cache: 'no-store', signal: AbortSignal.timeout(env.DIRECTUS_TIMEOUT_MS) }) }),
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
    ping: () => client.request(serverPing()).then(() => undefined, (error: unknown) => Promise.reject(unavailable(error))),
  };
}

export function unavailable(error: unknown): AuthError {
  return new AuthError('upstream_unavailable', {}, { cause: describeDirectusError(error) });
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

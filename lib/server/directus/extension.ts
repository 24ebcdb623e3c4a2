import 'server-only';

import type { UserProfile } from '@/lib/api-contract';
import type { StrategyEnv } from '../env';
import { ApiError } from '../errors';
import { directusFetch, unavailable } from './client';

// How the `session` strategy's adapters talk to the sms-sign-in extension (and to Directus's own
// session routes): JSON over the one transport, with the extension's key or the member's token.

const KEY_HEADER = 'X-SMS-Sign-In-Key';

/** What the extension answers when it signs a member in (issue, a passkey sign-in). */
export type Issued = { access_token: string; expires: number; member: UserProfile };

/** Thrown for a Directus answer that is not a success; `status` tells refusals from outages. */
export class DirectusAnswer extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`directus ${status} ${code}`);
  }
}

export function extensionClient(env: StrategyEnv<'session'>) {
  async function request<T>(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ data: T; headers: Headers }> {
    const response = await directusFetch(env, path, {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      // The answer is small and read whole: the timeout bounds all of it, not only its start.
      signal: AbortSignal.timeout(env.DIRECTUS_TIMEOUT_MS),
    });
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) throw new DirectusAnswer(response.status, errorCodeOf(json));
    return { data: json as T, headers: response.headers };
  }

  /** Answers undefined where Directus refuses (a 401 or 403), and a 503 for anything else. */
  async function unlessRefused<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DirectusAnswer && (error.status === 401 || error.status === 403)) return undefined;
      throw error instanceof ApiError ? error : unavailable(error);
    }
  }

  return {
    request,
    unlessRefused,
    withKey: { [KEY_HEADER]: env.DIRECTUS_EXTENSION_KEY },
    asMember: (token: string) => ({ Authorization: `Bearer ${token}` }),
  };
}

export type ExtensionClient = ReturnType<typeof extensionClient>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorCodeOf(json: unknown): string {
  const body = json as { error?: { code?: unknown }; errors?: Array<{ extensions?: { code?: unknown } }> } | undefined;
  const code = body?.error?.code ?? body?.errors?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : 'unknown';
}

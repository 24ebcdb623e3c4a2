// A minimal Directus REST client over fetch: every call has a timeout, errors are typed.
export class DirectusHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'DirectusHttpError';
  }
}

export interface HttpOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type Http = <T>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>) => Promise<T>;

export function normaliseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export function createHttp({ url, token, timeoutMs = 10_000, fetch: doFetch = fetch }: HttpOptions): Http {
  const base = normaliseUrl(url);
  return async <T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> => {
    const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await doFetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      cache: 'no-store',
      redirect: 'manual',
    });
    const text = await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      // Directus's shape, or an endpoint extension's (`{"error":{"code","message"}}`).
      const body = json as
        { errors?: { message?: string; extensions?: { code?: string } }[]; error?: { code?: string; message?: string } } | undefined;
      const first = body?.errors?.[0];
      throw new DirectusHttpError(
        res.status,
        first?.extensions?.code ?? body?.error?.code,
        first?.message ?? body?.error?.message ?? `HTTP ${res.status} ${res.statusText}`.trim(),
        path,
      );
    }
    if (res.status === 204 || !text) return undefined as T;
    if (json === undefined || typeof json !== 'object' || json === null) {
      throw new DirectusHttpError(res.status, 'NOT_DIRECTUS', `${path} did not answer JSON`, path);
    }
    return (json as { data: T }).data;
  };
}

// A small HTTP client for the app's API that keeps its cookie like a browser would.

export type ApiResponse = { status: number; body: any; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any

export function apiClient(appUrl: string, defaults: { headers?: Record<string, string> } = {}) {
  let cookie: string | undefined;
  const client = {
    get cookie() {
      return cookie;
    },
    set cookie(value: string | undefined) {
      cookie = value;
    },
    async request(
      method: string,
      path: string,
      init: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
    ): Promise<ApiResponse> {
      const headers: Record<string, string> = {
        ...(method === 'POST' ? { 'Content-Type': 'application/json', Origin: appUrl } : {}),
        ...defaults.headers,
        ...init.headers,
      };
      if (cookie) headers.Cookie = cookie;
      const response = await fetch(`${appUrl}${path}`, {
        method,
        headers,
        body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
        redirect: 'manual',
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) {
        const [pair] = setCookie.split(';');
        const [, value] = pair!.split(/=(.*)/s);
        cookie = value ? pair : undefined;
      }
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body, headers: response.headers };
    },
    post: (path: string, body: unknown = {}, headers?: Record<string, string>) => client.request('POST', path, { body, headers }),
    get: (path: string) => client.request('GET', path),
  };
  return client;
}

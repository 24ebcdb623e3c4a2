// The vocabulary of the fuzz tests: routes, a generated request, an observed response.

export type RouteName =
  | 'start'
  | 'resend'
  | 'verify'
  | 'logout'
  | 'session'
  | 'health'
  | 'directus'
  | 'passkeySignInOptions'
  | 'passkeySignIn'
  | 'passkeyAddOptions'
  | 'passkeyAdd'
  | 'passkeyRename'
  | 'passkeyRemove'
  | 'passkeyList';

export const ROUTES: Record<RouteName, { path: string; method: 'GET' | 'POST' }> = {
  start: { path: '/api/auth/start', method: 'POST' },
  resend: { path: '/api/auth/resend', method: 'POST' },
  verify: { path: '/api/auth/verify', method: 'POST' },
  logout: { path: '/api/auth/logout', method: 'POST' },
  session: { path: '/api/auth/session', method: 'GET' },
  health: { path: '/api/health', method: 'GET' },
  // The pass-through: its path goes on in `query` (fuzz/pass-through.ts); it answers every method itself.
  directus: { path: '/api/directus', method: 'GET' },
  passkeySignInOptions: { path: '/api/auth/passkey/sign-in/options', method: 'POST' },
  passkeySignIn: { path: '/api/auth/passkey/sign-in', method: 'POST' },
  passkeyAddOptions: { path: '/api/auth/passkey/add/options', method: 'POST' },
  passkeyAdd: { path: '/api/auth/passkey/add', method: 'POST' },
  passkeyRename: { path: '/api/auth/passkey/rename', method: 'POST' },
  passkeyRemove: { path: '/api/auth/passkey/remove', method: 'POST' },
  passkeyList: { path: '/api/auth/passkey/list', method: 'GET' },
};

export const POST_ROUTES = ['start', 'resend', 'verify', 'logout'] as const satisfies readonly RouteName[];

export const PASSKEY_ROUTES = [
  'passkeySignInOptions',
  'passkeySignIn',
  'passkeyAddOptions',
  'passkeyAdd',
  'passkeyRename',
  'passkeyRemove',
  'passkeyList',
] as const satisfies readonly RouteName[];

/**
 * What the server can find in the session cookie. `decoy`: a code pending for a number nobody owns;
 * `ada`: a real code pending for the demo member; `signedIn`: the demo member's credential;
 * `expired`: a pending code past its lifetime. A tampered cookie may read as its original or as nothing.
 */
export type CookieState = 'none' | 'decoy' | 'ada' | 'signedIn' | 'expired';

export type FuzzRequest = {
  /** What the generator meant, for failure messages. */
  label: string;
  route: RouteName;
  method: string;
  /** '' or '?…', appended to the route's path (for the pass-through: '/…' and its query). */
  query: string;
  /** Exactly the headers sent (values already trimmed as fetch would). */
  headers: Record<string, string>;
  /** The body text, sent UTF-8 encoded, with no Content-Type added by fetch. */
  body?: string;
  /** Every state the server may read from the Cookie header. */
  cookieStates: CookieState[];
  /** Size of the header block, roughly as Node counts it (for its 16 KiB limit). */
  headerBytes: number;
  /** Pass-through only: whether the generator meant a path the allow-list passes. */
  passThrough?: PassThroughIntent;
};

/** `either`: a generated segment may still normalise to something the allow-list refuses. */
export type PassThroughIntent = 'allowed' | 'refused' | 'either';

export type Observed = { status: number; headers: Headers; text: string; ms: number };

export function headerBytes(headers: Record<string, string>, path: string) {
  return Object.entries(headers).reduce((sum, [k, v]) => sum + k.length + v.length + 4, path.length + 200);
}

/** A request shortened for a failure message: huge strings are cut. */
export function describeRequest(request: FuzzRequest) {
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text);
  return {
    label: request.label,
    request: `${request.method} ${ROUTES[request.route].path}${cut(request.query)}`,
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, cut(v)])),
    body: request.body === undefined ? undefined : cut(request.body),
    cookieStates: request.cookieStates,
  };
}

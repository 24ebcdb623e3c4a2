// What every answer of the API must look like (docs/api.md), checked on one observed response.
// The expected outcome of a particular request is oracle.ts's business; this file only knows the
// contract's shapes, statuses and hygiene rules.
import type { ErrorCode } from '@/lib/api-contract';
import { SESSION_COOKIE } from './cookies';
import { ROUTES, type FuzzRequest, type Observed } from './model';

/** The contract's table from error code to HTTP status; `satisfies` breaks the build when a code is added. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_phone: 400,
  country_not_allowed: 403,
  forbidden_origin: 403,
  rate_limited: 429,
  upstream_unavailable: 503,
  no_pending_verification: 409,
  invalid_code: 400,
  code_expired: 410,
  too_many_attempts: 429,
  invalid_first_name: 400,
  unauthorized: 401,
  forbidden: 403,
  path_not_allowed: 403,
  not_found: 404,
  internal_error: 500,
  callback_unsigned: 401,
  callback_signature_invalid: 403,
  callback_replayed: 409,
  callback_stale: 410,
  bot_check_required: 428,
  bot_check_invalid: 400,
  bot_check_expired: 410,
  bot_check_replayed: 409,
  bot_check_too_easy: 400,
  country_paused: 503,
  passkeys_unavailable: 404,
  passkey_refused: 403,
  recent_sign_in_required: 403,
  passkey_not_added: 400,
  passkey_not_found: 404,
  invalid_passkey_name: 400,
} as const satisfies Record<ErrorCode, number>;

/** Extras an error body may carry, and on which codes (docs/api.md: rate_limited +retryAfter, invalid_code +attemptsLeft). */
const EXTRAS: Record<string, readonly ErrorCode[]> = {
  retryAfter: ['rate_limited', 'too_many_attempts', 'country_paused'],
  attemptsLeft: ['invalid_code'],
  botCheck: ['bot_check_required', 'bot_check_invalid', 'bot_check_expired', 'bot_check_replayed', 'bot_check_too_easy'],
};
const REQUIRED_EXTRA: Partial<Record<ErrorCode, string>> = {
  rate_limited: 'retryAfter',
  invalid_code: 'attemptsLeft',
  country_paused: 'retryAfter',
  bot_check_required: 'botCheck',
  bot_check_invalid: 'botCheck',
  bot_check_expired: 'botCheck',
  bot_check_replayed: 'botCheck',
  bot_check_too_easy: 'botCheck',
};

/** Text that must never reach a client: upstream names, stack traces, paths, JS leftovers. */
export const LEAKS =
  /AxiosError|plivo|directus|\bError:|\n\s+at\s|\bat\s+\S+\s+\(|node_modules|\/work\/|\.next\/|\.[cm]?[jt]sx?:\d|webpack|ECONN|ETIMEDOUT|sqlite|redis|ioredis|\bstack\b|\bundefined\b|\[object Object\]|Fe26\./i;

export type Verdict = {
  problems: string[];
  code?: ErrorCode | string;
  json?: unknown;
};

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const keysOf = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).sort() : undefined);
const sameKeys = (value: unknown, keys: string[]) => JSON.stringify(keysOf(value)) === JSON.stringify([...keys].sort());

/** The answers Next gives by itself for a method a route does not export. */
function checkMethodAnswer(request: FuzzRequest, response: Observed, problems: string[]) {
  const route = ROUTES[request.route];
  if (request.method === 'OPTIONS') {
    if (response.status !== 204) problems.push(`OPTIONS answered ${response.status}, expected 204`);
    const allow = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim());
    if (!allow.includes(route.method)) problems.push(`OPTIONS Allow header "${allow.join(',')}" lacks ${route.method}`);
    if (allow.some((m) => !['GET', 'HEAD', 'POST', 'OPTIONS'].includes(m)))
      problems.push(`OPTIONS allows unexpected methods: ${allow.join(',')}`);
  } else if (request.method === 'HEAD' && route.method === 'GET') {
    if (response.status !== 200) problems.push(`HEAD on a GET route answered ${response.status}`);
  } else if (response.status !== 405) {
    problems.push(`${request.method} on a ${route.method} route answered ${response.status}, expected 405`);
  }
  if (response.text !== '') problems.push('a method-level answer carries a body');
  if (response.headers.getSetCookie().length) problems.push('a method-level answer sets a cookie');
}

export function checkSetCookies(request: FuzzRequest, response: Observed, code: string | undefined, problems: string[]) {
  const cookies = response.headers.getSetCookie();
  for (const cookie of cookies) {
    const [pair = '', ...attributes] = cookie.split(';').map((part) => part.trim());
    const name = pair.split('=')[0];
    if (name !== SESSION_COOKIE) problems.push(`sets a cookie other than the session cookie: ${name}`);
    const attrs = attributes.map((a) => a.toLowerCase());
    for (const needed of ['httponly', 'secure', 'samesite=lax', 'path=/']) {
      if (!attrs.includes(needed)) problems.push(`session cookie lacks ${needed}: ${cookie.slice(0, 200)}`);
    }
  }
  if (cookies.length > 1) problems.push(`sets ${cookies.length} cookies`);
  // A refused request must leave the session as it was: nothing a cross-site page sends can change it.
  if ((code === 'forbidden_origin' || code === 'invalid_request') && cookies.length) problems.push(`${code} changed the cookie`);
  if (request.route === 'start' || request.route === 'resend') {
    if (response.status === 200 && !/^__Host-sms-sign-in=[^;]+/.test(cookies[0] ?? '')) problems.push('code_sent without a session cookie');
  }
}

export function checkError(json: unknown, response: Observed, problems: string[]): string | undefined {
  if (!sameKeys(json, ['error'])) {
    problems.push(`error body has top-level keys ${JSON.stringify(keysOf(json))}, expected exactly ["error"]`);
  }
  const error = (json as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== 'object' || Array.isArray(error)) {
    problems.push('error is not an object');
    return undefined;
  }
  const code = error.code;
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) {
    problems.push(`error.code ${JSON.stringify(code)} is not a contract code`);
    return typeof code === 'string' ? code : undefined;
  }
  const expected = ERROR_STATUS[code as ErrorCode];
  if (expected !== response.status) problems.push(`error.code ${code} answered with ${response.status}, the contract says ${expected}`);
  if (typeof error.message !== 'string' || error.message.trim() === '') problems.push('error.message is not a non-empty string');
  for (const key of Object.keys(error)) {
    if (key === 'code' || key === 'message') continue;
    if (!(key in EXTRAS)) problems.push(`error has an unexpected extra "${key}"`);
    else if (!EXTRAS[key]!.includes(code as ErrorCode)) problems.push(`error.${key} on code ${code}`);
  }
  const required = REQUIRED_EXTRA[code as ErrorCode];
  if (required && !(required in error)) problems.push(`${code} without ${required}`);
  const retryHeader = response.headers.get('retry-after');
  if ('retryAfter' in error) {
    if (!isInt(error.retryAfter) || error.retryAfter <= 0)
      problems.push(`retryAfter ${JSON.stringify(error.retryAfter)} is not a positive integer`);
    if (retryHeader !== null && Number(retryHeader) !== error.retryAfter)
      problems.push(`Retry-After header ${retryHeader} ≠ retryAfter ${error.retryAfter}`);
  }
  if (code === 'rate_limited' && retryHeader === null) problems.push('rate_limited without a Retry-After header');
  if (retryHeader !== null && !('retryAfter' in error)) problems.push('Retry-After header without retryAfter in the body');
  if ('attemptsLeft' in error && (!isInt(error.attemptsLeft) || error.attemptsLeft < 0)) {
    problems.push(`attemptsLeft ${JSON.stringify(error.attemptsLeft)} is not an integer ≥ 0`);
  }
  return code;
}

function checkUser(user: unknown, problems: string[]) {
  if (!sameKeys(user, ['id', 'first_name', 'last_name', 'email', 'phone'])) {
    problems.push(`user has keys ${JSON.stringify(keysOf(user))}`);
    return;
  }
  const u = user as Record<string, unknown>;
  if (typeof u.id !== 'string' || u.id === '') problems.push('user.id is not a non-empty string');
  for (const key of ['first_name', 'last_name', 'email', 'phone']) {
    if (u[key] !== null && typeof u[key] !== 'string') problems.push(`user.${key} is neither a string nor null`);
  }
}

function checkSuccess(request: FuzzRequest, json: unknown, problems: string[]) {
  const body = json as Record<string, unknown>;
  switch (request.route) {
    case 'start':
    case 'resend':
      if (!sameKeys(json, ['status', 'phone', 'channel', 'resendAfter', 'expiresIn']))
        problems.push(`code_sent has keys ${JSON.stringify(keysOf(json))}`);
      if (body.status !== 'code_sent') problems.push(`status ${JSON.stringify(body.status)}`);
      if (typeof body.phone !== 'string' || !/^\+\d[\d ]*\d( (ext\. |x)\d+)?$/.test(body.phone))
        problems.push(`phone ${JSON.stringify(body.phone)} is not an international number`);
      if (body.channel !== 'sms' && body.channel !== 'voice') problems.push(`channel ${JSON.stringify(body.channel)}`);
      if (!isInt(body.resendAfter) || body.resendAfter < 0) problems.push(`resendAfter ${JSON.stringify(body.resendAfter)}`);
      if (!isInt(body.expiresIn) || body.expiresIn <= 0 || body.expiresIn > 600)
        problems.push(`expiresIn ${JSON.stringify(body.expiresIn)}`);
      break;
    case 'verify':
      if (!sameKeys(json, ['status', 'user', 'redirectTo'])) problems.push(`signed_in has keys ${JSON.stringify(keysOf(json))}`);
      if (body.status !== 'signed_in') problems.push(`status ${JSON.stringify(body.status)}`);
      checkUser(body.user, problems);
      if (typeof body.redirectTo !== 'string' || !/^\/(?![/\\])/.test(body.redirectTo))
        problems.push(`redirectTo ${JSON.stringify(body.redirectTo)} is not a same-origin path`);
      break;
    case 'logout':
      if (JSON.stringify(json) !== '{"status":"signed_out"}') problems.push(`logout answered ${JSON.stringify(json)}`);
      break;
    case 'session':
      if (body?.signedIn === false) {
        if (!sameKeys(json, ['signedIn'])) problems.push(`signed-out session has keys ${JSON.stringify(keysOf(json))}`);
      } else if (body?.signedIn === true) {
        if (!sameKeys(json, ['signedIn', 'user'])) problems.push(`signed-in session has keys ${JSON.stringify(keysOf(json))}`);
        checkUser(body.user, problems);
      } else problems.push(`session answered ${JSON.stringify(json)}`);
      break;
    case 'passkeySignInOptions':
    case 'passkeyAddOptions': {
      const options = body?.options as Record<string, unknown> | undefined;
      if (!sameKeys(json, ['options'])) problems.push(`options answer has keys ${JSON.stringify(keysOf(json))}`);
      if (typeof options?.challenge !== 'string') problems.push('options without a challenge');
      break;
    }
    case 'passkeyList':
      if (!sameKeys(json, ['passkeys']) || !Array.isArray(body.passkeys)) problems.push(`list answered ${JSON.stringify(json)}`);
      break;
    case 'health':
      if (JSON.stringify(json) !== '{"status":"ok","checks":{"directus":"ok","extension":"ok","sms":"ok"}}')
        problems.push(`health answered ${JSON.stringify(json)}`);
      break;
  }
}

/** Everything the contract promises about one response, whatever the request was. */
export function checkContract(request: FuzzRequest, response: Observed): Verdict {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`a ${response.status}`);
  // /api/health names its upstreams by design (docs/api.md: "503 naming what failed").
  const text = request.route === 'health' ? response.text.replace(/"checks":\{[^}]*\}/, '') : response.text;
  if (LEAKS.test(text)) problems.push(`the body leaks internals: ${LEAKS.exec(text)?.[0]}`);

  // Node refuses a header block over its limit (16 KiB) before the app sees it: 431, no body.
  if (response.status === 431) {
    if (request.headerBytes < 8_192) problems.push(`431 for only ${request.headerBytes} header bytes`);
    if (response.text !== '') problems.push('431 with a body');
    return { problems };
  }
  // Next answers a request that says it is a React Server Component fetch (an `RSC` header) without
  // a matching `_rsc` cache-busting parameter with a redirect to one, before any route code runs.
  if (response.status === 307 && request.headers.rsc !== undefined) {
    const location = response.headers.get('location') ?? '';
    if (!location.startsWith(`${ROUTES[request.route].path}?`) || !/[?&]_rsc(=|&|$)/.test(location))
      problems.push(`RSC redirect to ${JSON.stringify(location)}`);
    if (response.text !== '') problems.push('RSC redirect with a body');
    if (response.headers.getSetCookie().length) problems.push('RSC redirect sets a cookie');
    return { problems, code: 'rsc-redirect' };
  }
  if (request.method !== ROUTES[request.route].method) {
    checkMethodAnswer(request, response, problems);
    return { problems };
  }

  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) problems.push(`content type "${type}"`);
  if (!/\bno-store\b/.test(response.headers.get('cache-control') ?? ''))
    problems.push(`Cache-Control "${response.headers.get('cache-control')}" lacks no-store`);
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    problems.push('body is not JSON');
    return { problems };
  }
  let code: string | undefined;
  if (response.status >= 200 && response.status < 300) {
    if (response.status !== 200) problems.push(`success with ${response.status}`);
    checkSuccess(request, json, problems);
  } else {
    code = checkError(json, response, problems);
  }
  checkSetCookies(request, response, code, problems);
  return { problems, code, json };
}

// The pass-through (/api/directus/…) in the fuzz harness: hostile paths and queries with every
// method, header and cookie the auth routes get. Its successes are Directus's content (JSON items,
// binary assets), so it has its own contract and oracle here; the error rules are the API's.
import fc from 'fast-check';

import { LOCAL_STACK } from '@/lib/local-stack';
import { bodyArb } from './bodies';
import { cookieArb, SESSION_COOKIE, type CookieChoice, type CookieMaterial } from './cookies';
import { checkError, checkSetCookies, LEAKS, type Verdict } from './contract';
import { headerBytes, ROUTES, type CookieState, type FuzzRequest, type Observed, type PassThroughIntent } from './model';
import type { Expectation } from './oracle';
import { contentTypeArb, forwardedForArb, headersOf, oddHeaders, originArb, queryArb, secFetchSiteArb } from './requests';

export type PassThroughOptions = { appOrigin: string; material: CookieMaterial; imageId: string };

/** Paths the default allow-list (GET /items/*, GET /assets/*) passes, however they are spelled. */
const allowedPaths = (imageId: string) => [
  '/items/member_news',
  '/items/member_news/1',
  '/items/member_news/3',
  '/items/member_news/999',
  '/ITEMS/member_news',
  '/Items/member_news',
  '/items/./member_news',
  '/items/member_news%2F2',
  '/items/%6Dember_news',
  '/items/no_such_collection',
  '/items/directus_users',
  `/assets/${imageId}`,
  `/assets/${imageId}/picture.png`,
  `/ASSETS/${imageId}`,
  '/assets/00000000-0000-4000-8000-000000000000',
  '/assets/not-a-uuid',
];

/** Paths it must refuse: outside the list, or hidden behind encoding, case or traversal. */
const REFUSED_PATHS = [
  '',
  '/users',
  '/users/me',
  '/USERS/me',
  '/settings',
  '/auth/login',
  '/auth/refresh',
  '/auth/logout',
  '/server/info',
  '/server/health',
  '/collections',
  '/fields/member_news',
  '/permissions',
  '/policies',
  '/roles',
  '/activity',
  '/files',
  '/graphql',
  '/utils/random/string',
  '/sms-sign-in/lookup',
  '/sms-sign-in/me',
  '/items',
  '/assets',
  '/items%2F..%2Fusers',
  '/items/x%2F..%2F..%2Fusers%2Fme',
  '/items/..%2F..%2Fsettings',
  '/items/%252e%252e/users',
  '/items/%252fusers',
  '/items/..%5cusers',
  '/items/member_news%3Faccess_token=x',
  '/items/member_news%23',
  '/items/%ZZ',
  '/items/member_news%00',
  '/assets/x%2F..%2F..%2Fusers',
];

const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.~-]{1,24}$/),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom('.', '..', '%2e', '%2E%2e', '%2f', '%2F..', '%5c', '%00', '%25', '%3F', ';x=1', 'member_news', 'users', '~', '*'),
);
/** Under an allowed prefix, anything: it may still normalise to a refused path. */
const generatedPath = fc
  .tuple(fc.constantFrom('/items', '/assets', '/ITEMS', '/users', '/auth'), fc.array(segment, { minLength: 0, maxLength: 4 }))
  .map(([prefix, rest]) => `${prefix}${rest.map((s) => `/${s}`).join('')}`);

/** Queries Directus reads, credentials smuggled into them, and filters over what members may not read. */
const directusQuery = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '?fields=title,summary',
      '?fields=*.*',
      '?fields=image.uploaded_by.email',
      '?filter[image][uploaded_by][email][_eq]=admin@example.com',
      '?filter={"title":{"_contains":"a"}}',
      '?filter={not json',
      '?sort=-id&limit=1',
      '?limit=-1&meta=*',
      '?search=meeting',
      '?aggregate[count]=*',
      '?deep[image][_limit]=1',
      '?export=json',
      `?access_token=${LOCAL_STACK.directus.adminToken}`,
      `?ACCESS_TOKEN=${LOCAL_STACK.directus.adminToken}`,
      `?access%5Ftoken=${LOCAL_STACK.directus.adminToken}`,
      '?access_token[]=x&fields=id',
      `?[access_token]=${LOCAL_STACK.directus.adminToken}`,
      `?fields=id&%5Baccess_token%5D=${LOCAL_STACK.directus.adminToken}`,
      `?[access_token][x]=${LOCAL_STACK.directus.adminToken}`,
      '?fields=id&access_token=garbage',
      '?download=true',
      '?key=system-large-contain',
    ),
  },
  { weight: 2, arbitrary: queryArb },
);

const methodArb = fc.oneof(
  { weight: 14, arbitrary: fc.constant('GET') },
  { weight: 2, arbitrary: fc.constant('HEAD') },
  { weight: 4, arbitrary: fc.constantFrom('POST', 'PATCH', 'PUT', 'DELETE') },
  { weight: 1, arbitrary: fc.constant('OPTIONS') },
);

const passThroughHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { authorization: `Bearer ${LOCAL_STACK.directus.adminToken}` },
      { range: 'bytes=0-9' },
      { range: 'bytes=999999-' },
      { range: 'garbage' },
      { 'if-none-match': '*' },
      { 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 GMT' },
      { accept: 'text/csv' },
      { 'accept-encoding': 'gzip' },
    ),
  },
  { weight: 1, arbitrary: oddHeaders },
);

/** A whole request to the pass-through: path, query, method, headers, cookie and body. */
export function passThroughRequestArb(options: PassThroughOptions): fc.Arbitrary<FuzzRequest> {
  const path = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...allowedPaths(options.imageId)).map((p) => ({ p, intent: 'allowed' as PassThroughIntent })) },
    { weight: 4, arbitrary: fc.constantFrom(...REFUSED_PATHS).map((p) => ({ p, intent: 'refused' as PassThroughIntent })) },
    { weight: 3, arbitrary: generatedPath.map((p) => ({ p, intent: 'either' as PassThroughIntent })) },
  );
  return (
    fc
      .record({
        method: methodArb,
        path,
        query: directusQuery,
        origin: fc.oneof(fc.constant(options.appOrigin), originArb(options.appOrigin)),
        secFetchSite: secFetchSiteArb,
        contentType: fc.option(contentTypeArb, { nil: undefined, freq: 2 }),
        forwardedFor: forwardedForArb,
        odd: passThroughHeaders,
        cookie: fc.oneof(signedInCookie(options.material), cookieArb(options.material, 'directus')),
        body: bodyArb('directus'),
      })
      .map((r): FuzzRequest => {
        const headers = headersOf(r);
        const query = `${r.path.p}${r.query}`;
        return {
          label: `pass-through ${r.path.intent}, cookie: ${r.cookie.label}`,
          route: 'directus',
          method: r.method,
          query,
          headers,
          body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body,
          cookieStates: r.cookie.states,
          headerBytes: headerBytes(headers, ROUTES.directus.path + query),
          passThrough: r.path.intent,
        };
      })
      // fetch resolves dot segments itself (raw ones are tests/integration/pass-through.int.test.ts's):
      // a path it takes above /api/directus is no request to the pass-through.
      .filter((request) =>
        new URL(`${ROUTES.directus.path}${request.query}`, 'http://app.invalid').pathname.startsWith(ROUTES.directus.path),
      )
  );
}

/** Half the requests come from the signed-in member, so that many reach Directus. */
function signedInCookie(material: CookieMaterial): fc.Arbitrary<CookieChoice> {
  const real = material.real.find((cookie) => cookie.state === 'signedIn')!;
  return fc.constant({ cookie: `${SESSION_COOKIE}=${real.value}`, states: ['signedIn'], label: 'real signedIn' });
}

const PRIVATE_DATA = [LOCAL_STACK.demoMember.email, LOCAL_STACK.directus.adminEmail, LOCAL_STACK.demoMember.phone];

/** What every pass-through answer must look like, whatever the request was. */
export function checkPassThroughAnswer(request: FuzzRequest, response: Observed): Verdict {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`a ${response.status}`);
  for (const value of PRIVATE_DATA) if (response.text.includes(value)) problems.push(`the answer contains ${value}`);
  // Node refuses a header block over its limit before the app sees it (see checkContract).
  if (response.status === 431) {
    if (request.headerBytes < 8_192) problems.push(`431 for only ${request.headerBytes} header bytes`);
    return { problems };
  }
  // Next's own redirects: trailing and double slashes, RSC requests without their parameter.
  if (response.status === 307 || response.status === 308) {
    const location = response.headers.get('location') ?? '';
    const target = new URL(location, 'http://same-origin.invalid');
    const sameOrigin = target.origin === 'http://same-origin.invalid' || ['127.0.0.1', 'localhost'].includes(target.hostname);
    if (!sameOrigin || !target.pathname.startsWith(ROUTES.directus.path)) problems.push(`redirect to ${location}`);
    if (response.headers.getSetCookie().length) problems.push('a redirect sets a cookie');
    return { problems, code: 'redirect' };
  }
  // Next answers OPTIONS itself, after proxy.ts (which refuses undecodable paths in any method).
  if (request.method === 'OPTIONS' && response.status === 204) return { problems, code: 'method' };
  if (request.method === 'HEAD' && response.text !== '') problems.push('HEAD with a body');
  const cacheControl = response.headers.get('cache-control') ?? '';
  if (response.status < 400) {
    // Only members may read the seeded files: nothing here may be cached as public.
    if (cacheControl !== 'private, no-store') problems.push(`success with Cache-Control "${cacheControl}"`);
    if (response.headers.getSetCookie().length) problems.push('a success sets a cookie');
    const type = response.headers.get('content-type') ?? '';
    let json: unknown;
    if (/json/.test(type) && request.method !== 'HEAD' && response.status === 200) {
      try {
        json = JSON.parse(response.text);
      } catch {
        problems.push('a JSON success is not JSON');
      }
    }
    return { problems, json };
  }
  if (!/\bno-store\b/.test(cacheControl)) problems.push(`error with Cache-Control "${cacheControl}"`);
  if (request.method === 'HEAD') return { problems, code: `status ${response.status}` };
  if (LEAKS.test(response.text)) problems.push(`the body leaks internals: ${LEAKS.exec(response.text)?.[0]}`);
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    problems.push(`error body is not JSON: ${response.text.slice(0, 80)}`);
    return { problems };
  }
  const code = checkError(json, response, problems);
  checkSetCookies(request, response, code, problems);
  if (response.headers.getSetCookie().length) problems.push(`${code} changed the cookie`);
  return { problems, code, json };
}

const SUCCESSES = ['200', 'status 206', 'status 304'];
// What Directus may answer a member for an allowed path: their content, or its refusals.
const AS_MEMBER = [...SUCCESSES, 'forbidden', 'not_found', 'invalid_request', 'rate_limited'];

/** Every answer the pass-through may give this request (HEAD answers carry only a status). */
export function passThroughExpectation(request: FuzzRequest): Expectation {
  const intent = request.passThrough ?? 'either';
  const reads = request.method === 'GET' || request.method === 'HEAD';
  const states = request.cookieStates;
  const allowedOutcome = (state: CookieState) => (state === 'signedIn' ? AS_MEMBER : ['unauthorized']);
  const asAllowed = new Set(states.flatMap(allowedOutcome));
  let allowed: Set<string>;
  if (!reads || intent === 'refused') allowed = new Set(['path_not_allowed']);
  else if (intent === 'allowed') allowed = asAllowed;
  else allowed = new Set([...asAllowed, 'path_not_allowed']);
  if (request.method === 'HEAD') allowed = new Set([...allowed].map((key) => (SUCCESSES.includes(key) ? key : `status ${statusOf(key)}`)));
  return {
    allowed,
    why: `${request.method} of a path meant ${intent}, cookie ${states.join('/')}`,
  };
}

function statusOf(code: string): number {
  return { forbidden: 403, not_found: 404, invalid_request: 400, rate_limited: 429, unauthorized: 401, path_not_allowed: 403 }[code] ?? 0;
}

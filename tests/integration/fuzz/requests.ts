// Whole requests: method, path and query, headers (Content-Type, Origin, Sec-Fetch-Site, forwarding
// and Next-internal headers), cookie and body.
import fc from 'fast-check';

import { bodyArb } from './bodies';
import { cookieArb, type CookieChoice, type CookieMaterial } from './cookies';
import { headerBytes, ROUTES, type FuzzRequest, type RouteName } from './model';
import { isDemoNumber } from './phones';
import { serverText } from './oracle';

const ascii = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength }).map((s) => s.replace(/[\r\n\0]/g, '').trim());

export function originArb(appOrigin: string): fc.Arbitrary<string | undefined> {
  const url = new URL(appOrigin);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 8, arbitrary: fc.constant(appOrigin) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'https://evil.example',
        `http://localhost:${url.port}`,
        `https://${url.host}`,
        `${appOrigin}/`,
        `${appOrigin}.evil.example`,
        `http://${url.hostname}`,
        `http://${url.hostname}:${Number(url.port) + 1}`,
        appOrigin.toUpperCase(),
        `http://evil.example@${url.host}`,
        'http://[::1]:3100',
        'file://',
        'chrome-extension://abcdef',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom('null', '', '*', 'undefined') },
    { weight: 1, arbitrary: fc.webUrl().map((u) => new URL(u).origin) },
    { weight: 1, arbitrary: ascii(40) },
  );
}

export const secFetchSiteArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.constantFrom('same-origin', 'same-site', 'none') },
  { weight: 2, arbitrary: fc.constant('cross-site') },
  { weight: 1, arbitrary: fc.constantFrom('Cross-Site', 'CROSS-SITE', 'cross-site, same-origin', '', 'garbage') },
  { weight: 1, arbitrary: ascii(20) },
);

export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json ; charset=utf-8'),
  },
  { weight: 2, arbitrary: fc.mixedCase(fc.constantFrom('application/json', 'application/json; charset=utf-8')) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'application/jsonp',
      'application/json-patch+json',
      'application/vnd.api+json',
      'text/json',
      'application/xml',
      'application/ json',
      'json',
      '*/*',
      '',
      'application/json, text/plain',
    ),
  },
  { weight: 1, arbitrary: ascii(30) },
);

const ipArb = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('unknown', '127.0.0.1', '::1', '', 'garbage', '1.2.3.4, 5.6.7.8', ' , ,'));
export const forwardedForArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.array(ipArb, { minLength: 1, maxLength: 4 }).map((ips) => ips.join(', ').trim()) },
  { weight: 1, arbitrary: ascii(60) },
);

/** Headers browsers never send cross-site but proxies and Next's own machinery read. */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({}) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'x-forwarded-host': 'evil.example' },
      { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      { 'x-forwarded-proto': 'javascript' },
      { 'x-forwarded-port': '99999' },
      { forwarded: 'for=1.2.3.4;host=evil.example;proto=https' },
      { rsc: '1' },
      { 'next-router-state-tree': '%5B%22garbage' },
      { 'next-router-prefetch': '1', rsc: '1' },
      { 'next-action': 'abcdef0123456789' },
      { 'next-action': '' },
      { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
      { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' },
      { 'x-nextjs-data': '1' },
      { 'x-invoke-path': '/api/health' },
      { 'x-http-method-override': 'GET' },
      { 'content-encoding': 'gzip' },
      { 'content-encoding': 'br' },
      { 'accept-encoding': 'identity' },
      { accept: 'text/html' },
      { 'accept-language': 'ar-EG,zh;q=0.5' },
      { authorization: 'Bearer local-directus-admin-token' },
      { range: 'bytes=0-1' },
      { 'if-none-match': '*' },
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), ascii(100)).map(([k, v]) => ({ [k]: v })) },
);

export const queryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '?',
      '?next=//evil.example',
      '?_rsc=abc',
      '?__nextDataReq=1',
      '?phone=%2B447400123456',
      '?a=1&a=2',
      '?%ZZ',
      '?__proto__[x]=1',
    ),
  },
  { weight: 1, arbitrary: fc.webQueryParameters().map((q) => `?${q}`) },
);

const wrongMethodFor = (route: RouteName) =>
  ROUTES[route].method === 'POST'
    ? fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS')
    : fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');

export type RequestOptions = {
  appOrigin: string;
  material: CookieMaterial;
  /** Share of requests with a method the route does not export, 0..1. */
  wrongMethods?: number;
  /** Replace the generated cookie dimension, e.g. with the giant-cookie generator. */
  cookie?: (route: RouteName) => fc.Arbitrary<CookieChoice>;
  /** Replace the generated body dimension. */
  body?: (route: RouteName) => fc.Arbitrary<string | undefined>;
  /** Headers as a same-origin browser sends them, when only the other dimensions are fuzzed. */
  politeHeaders?: boolean;
};

/** A whole request to `route`; never one that means the demo member's number (that would send real SMS). */
export function requestArb(route: RouteName, options: RequestOptions): fc.Arbitrary<FuzzRequest> {
  const spec = ROUTES[route];
  const wrong = options.wrongMethods ?? 0.1;
  const method =
    wrong > 0
      ? fc.oneof(
          { weight: Math.round((1 - wrong) * 100), arbitrary: fc.constant(spec.method as string) },
          { weight: Math.round(wrong * 100), arbitrary: wrongMethodFor(route) },
        )
      : fc.constant(spec.method as string);
  const polite = options.politeHeaders;
  const isPost = spec.method === 'POST';
  return fc
    .record({
      method,
      query: polite ? fc.constant('') : queryArb,
      origin: polite ? fc.constant(isPost ? options.appOrigin : undefined) : originArb(options.appOrigin),
      secFetchSite: polite ? fc.constant('same-origin') : secFetchSiteArb,
      contentType: polite
        ? fc.constant(isPost ? 'application/json' : undefined)
        : isPost
          ? contentTypeArb
          : fc.option(contentTypeArb, { nil: undefined, freq: 3 }),
      forwardedFor: forwardedForArb,
      odd: polite ? fc.constant({}) : oddHeaders,
      cookie: (options.cookie ?? ((r: RouteName) => cookieArb(options.material, r)))(route),
      body: isPost || !polite ? (options.body ?? bodyArb)(route) : fc.constant(undefined),
    })
    .map((r): FuzzRequest => {
      const headers = headersOf(r);
      const bodyAllowed = r.method !== 'GET' && r.method !== 'HEAD';
      return {
        label: `cookie: ${r.cookie.label}`,
        route,
        method: r.method,
        query: r.query,
        headers,
        body: bodyAllowed ? r.body : undefined,
        cookieStates: r.cookie.states,
        headerBytes: headerBytes(headers, spec.path + r.query),
      };
    })
    .filter((request) => !(request.route === 'start' && meansDemoNumber(request.body)));
}

type GeneratedHeaders = {
  odd: Record<string, string>;
  origin?: string;
  secFetchSite?: string;
  contentType?: string;
  forwardedFor?: string;
  cookie: CookieChoice;
};

/** The header block of a generated request: its extra headers, then each generated one that is set. */
export function headersOf(r: GeneratedHeaders): Record<string, string> {
  const headers: Record<string, string> = { ...r.odd };
  if (r.origin !== undefined) headers.origin = r.origin;
  if (r.secFetchSite !== undefined) headers['sec-fetch-site'] = r.secFetchSite;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.forwardedFor !== undefined) headers['x-forwarded-for'] = r.forwardedFor;
  if (r.cookie.cookie !== undefined) headers.cookie = r.cookie.cookie;
  return headers;
}

/** Whether a start body would ask for a code to the demo member's phone. */
function meansDemoNumber(body: string | undefined): boolean {
  try {
    const value = JSON.parse(serverText(body)) as { phone?: unknown; country?: unknown } | null;
    return !!value && typeof value === 'object' && isDemoNumber(value.phone, value.country);
  } catch {
    return false;
  }
}

/** Requests to every route, weighted towards the POST routes with bodies. */
export function anyRequestArb(options: RequestOptions): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 8, arbitrary: requestArb('start', options) },
    { weight: 4, arbitrary: requestArb('verify', options) },
    { weight: 3, arbitrary: requestArb('resend', options) },
    { weight: 2, arbitrary: requestArb('logout', options) },
    { weight: 3, arbitrary: requestArb('session', options) },
    { weight: 1, arbitrary: requestArb('health', options) },
  );
}

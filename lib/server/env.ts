import 'server-only';

import { z } from 'zod';

import { LOCAL_STACK } from '@/lib/local-stack';

const PLIVO_API_URL = 'https://api.plivo.com';
const MIN_SECRET_LENGTH = 32;

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const seconds = z.coerce.number().int().positive();
const milliseconds = z.coerce.number().int().min(100).max(60_000);

// Every variable the server reads, in one place. Outside production each one has the local
// stack's default, so `npm run dev` and the tests need no .env at all.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_URL: z.url({ protocol: /^https?$/ }),
  DIRECTUS_URL: z.url({ protocol: /^https?$/ }),
  DIRECTUS_TOKEN: z.string().min(1),
  DIRECTUS_TIMEOUT_MS: milliseconds.default(5_000),
  PLIVO_AUTH_ID: z.string().min(1),
  PLIVO_AUTH_TOKEN: z.string().min(1),
  PLIVO_APP_UUID: z.string().min(1).optional(),
  PLIVO_API_URL: z.url({ protocol: /^https?$/ }).default(PLIVO_API_URL),
  PLIVO_TIMEOUT_MS: milliseconds.default(5_000),
  SESSION_SECRET: z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
  SESSION_SECRETS_PREVIOUS: commaList
    .pipe(z.array(z.string().min(MIN_SECRET_LENGTH, `each must be at least ${MIN_SECRET_LENGTH} characters`)))
    .default([]),
  SESSION_MAX_AGE_SECONDS: seconds.default(7 * 24 * 60 * 60),
  OTP_RESEND_AFTER_SECONDS: seconds.max(600).default(30),
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as GB')
    .optional(),
});

export type Env = z.infer<typeof schema> & { plivoEmulated: boolean };
type Source = Record<string, string | undefined>;

function localDefaults(): Source {
  return {
    APP_URL: LOCAL_STACK.appUrl,
    DIRECTUS_URL: LOCAL_STACK.directus.url,
    DIRECTUS_TOKEN: LOCAL_STACK.directus.serviceToken,
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
  // Real Plivo credentials without an explicit API URL mean the real Plivo, not the emulator.
  const defaults = production ? {} : localDefaults();
  if (!production && source.PLIVO_AUTH_ID && !source.PLIVO_API_URL) defaults.PLIVO_API_URL = PLIVO_API_URL;

  const result = schema.safeParse({ ...defaults, ...source });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const env = result.data;
  if (production) assertProductionSecrets(env);
  return { ...env, plivoEmulated: new URL(env.PLIVO_API_URL).origin !== PLIVO_API_URL };
}

function assertProductionSecrets(env: z.infer<typeof schema>) {
  const weak = [env.SESSION_SECRET, ...env.SESSION_SECRETS_PREVIOUS].some(
    (secret) => secret === LOCAL_STACK.sessionSecret || new Set(secret).size < 10,
  );
  if (weak) {
    throw new EnvError(
      'Invalid environment:\n  SESSION_SECRET: is a known or low-entropy value; generate one with `openssl rand -base64 32`',
    );
  }
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

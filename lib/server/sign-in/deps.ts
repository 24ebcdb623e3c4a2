import 'server-only';

import { randomBytes, randomUUID } from 'node:crypto';

import { createDirectusDirectory } from '../directus';
import { getEnv } from '../env';
import { createPlivoVerifier } from '../plivo';
import { createSignInStore } from '../rate-limits';
import type { SignInDeps } from './context';
import { createPacer } from './pacing';
import { HOME_PATH } from './policy';

let deps: SignInDeps | undefined;

/** The real adapters, built once per process: they hold no per-person state. */
export function getSignInDeps(): SignInDeps {
  if (deps) return deps;
  const env = getEnv();
  deps = {
    directory: createDirectusDirectory(env),
    verifier: createPlivoVerifier(env),
    ...createSignInStore(env),
    pacer: createPacer(),
    clock: { now: () => Date.now() },
    random: { token: () => randomBytes(32).toString('base64url'), uuid: () => randomUUID() },
    policy: {
      codeTtlSeconds: env.OTP_EXPIRY_SECONDS,
      resendAfterSeconds: env.OTP_RESEND_AFTER_SECONDS,
      sessionMaxAgeSeconds: env.SESSION_MAX_AGE_SECONDS,
      homePath: HOME_PATH,
      allowedCountries: env.ALLOWED_COUNTRIES,
      allowedNumberTypes: env.ALLOWED_NUMBER_TYPES,
    },
  };
  return deps;
}

import 'server-only';

import { randomBytes, randomUUID } from 'node:crypto';

import { createDirectusDirectory } from '../directus';
import { getEnv } from '../env';
import { createPlivoVerifier } from '../plivo';
import type { SignInDeps } from './context';
import { DEFAULT_POLICY } from './policy';

let deps: SignInDeps | undefined;

/** The real adapters, built once per process: they hold no per-person state. */
export function getSignInDeps(): SignInDeps {
  if (deps) return deps;
  const env = getEnv();
  deps = {
    directory: createDirectusDirectory(env),
    verifier: createPlivoVerifier(env),
    clock: { now: () => Date.now() },
    random: { token: () => randomBytes(32).toString('base64url'), uuid: () => randomUUID() },
    policy: {
      ...DEFAULT_POLICY,
      resendAfterSeconds: env.OTP_RESEND_AFTER_SECONDS,
      sessionMaxAgeSeconds: env.SESSION_MAX_AGE_SECONDS,
    },
  };
  return deps;
}

import 'server-only';

import { randomUUID } from 'node:crypto';

import { createAbuseGuards } from './abuse-store';
import { createDeliveryReports } from './delivery-reports';
import { createDirectusStrategy } from './directus';
import { getEnv } from './env';
import { createLimitStore } from './limit-store';
import { createPlivoVerifier } from './plivo';
import { createSignInStore } from './rate-limits';
import { createSharedRefresh } from './refresh-sharing';
import { createPacer } from './sign-in/pacing';
import type { SignInDeps } from './sign-in/ports';
import { policyFromEnv } from './sign-in-policy';
import { withTestNumbers } from './test-numbers';

// The composition root: the one place that picks the real adapter for each port of the sign-in
// use-cases. It lives beside the adapters, not in lib/server/sign-in/, so that the use-cases
// depend on their ports only and the adapters on nothing of theirs but those ports.

let deps: SignInDeps | undefined;

/** The real adapters, built once per process: they hold no per-person state. */
export function getSignInDeps(): SignInDeps {
  if (deps) return deps;
  const env = getEnv();
  const store = createLimitStore(env);
  const pacer = createPacer();
  const plivo = createPlivoVerifier(env);
  deps = {
    ...createDirectusStrategy(env),
    verifier: withTestNumbers(plivo, {
      numbers: env.TEST_PHONE_NUMBERS,
      store,
      pacer,
      lifetimeSeconds: env.OTP_EXPIRY_SECONDS,
      budget: { wrongCodes: env.TEST_PHONE_NUMBERS_MAX_WRONG_CODES, secret: env.SESSION_SECRET },
    }),
    ...createSignInStore(env, store),
    refreshes: createSharedRefresh(env, store),
    deliveries: createDeliveryReports(env, store),
    pacer,
    abuse: createAbuseGuards(env, store),
    clock: { now: () => Date.now() },
    random: { uuid: () => randomUUID() },
    policy: policyFromEnv(env),
  };
  return deps;
}

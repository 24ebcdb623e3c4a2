import 'server-only';

import { randomUUID } from 'node:crypto';

import { createDirectusStrategy } from './directus';
import { createPasskeys } from './directus/passkeys';
import { getEnv } from './env';
import { withTestNumbers } from './plivo/test-number-verifier';
import { createPlivoVerifier } from './plivo/verifier';
import { createPacer } from './sign-in/sms/pacing';
import type { PasskeySignInDeps } from './sign-in/passkey/ports';
import type { SmsSignInDeps } from './sign-in/sms/ports';
import { policyFromEnv } from './sign-in-policy';
import { createAbuseGuards } from './store/abuse';
import { createDeliveryReports } from './store/delivery-reports';
import { createCodeLedger, createLimiter, createProviderRefusals } from './store/limits';
import { createSharedRefresh } from './store/refresh-sharing';
import { createSharedStore } from './store/shared-store';

// The composition root: the one place that picks the real adapter for each port of the sign-in
// use-cases. It lives beside the adapters, not in lib/server/sign-in/, so that the use-cases
// depend on their ports only and the adapters on nothing of theirs but those ports.

/** Every sign-in method's ports. */
export type AppSignInDeps = SmsSignInDeps & PasskeySignInDeps;

let deps: AppSignInDeps | undefined;

/** The real adapters, built once per process: they hold no per-person state. */
export function getSignInDeps(): AppSignInDeps {
  if (deps) return deps;
  const env = getEnv();
  const store = createSharedStore(env);
  const pacer = createPacer();
  const plivo = createPlivoVerifier(env);
  deps = {
    ...createDirectusStrategy(env),
    verifier: withTestNumbers(plivo, {
      numbers: env.TEST_PHONE_NUMBERS,
      store,
      pacer,
      lifetimeSeconds: env.OTP_EXPIRY_SECONDS,
      budget: {
        wrongCodes: env.TEST_PHONE_NUMBERS_MAX_WRONG_CODES,
        secret: env.SESSION_SECRET,
      },
    }),
    limiter: createLimiter(env, store),
    codes: createCodeLedger(env, store),
    providerRefusals: createProviderRefusals(env, store),
    refreshes: createSharedRefresh(env, store),
    deliveries: createDeliveryReports(env, store),
    pacer,
    abuse: createAbuseGuards(env, store),
    // Passkeys are the `session` strategy's extension's; with `static` the method is off.
    passkeys: env.DIRECTUS_CREDENTIALS === 'session' ? createPasskeys(env) : undefined,
    clock: { now: () => Date.now() },
    random: { uuid: () => randomUUID() },
    policy: policyFromEnv(env),
  };
  return deps;
}

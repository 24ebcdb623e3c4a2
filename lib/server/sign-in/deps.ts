import 'server-only';

import { randomUUID } from 'node:crypto';

import { createDeliveryReports } from '../delivery-reports';
import { createDirectusStrategy } from '../directus';
import { getEnv } from '../env';
import { createLimitStore } from '../limit-store';
import { createPlivoVerifier } from '../plivo';
import { createSignInStore } from '../rate-limits';
import { createSharedRefresh } from '../refresh-sharing';
import type { SignInDeps } from './context';
import { createPacer } from './pacing';
import { policyFromEnv } from './policy';

let deps: SignInDeps | undefined;

/** The real adapters, built once per process: they hold no per-person state. */
export function getSignInDeps(): SignInDeps {
  if (deps) return deps;
  const env = getEnv();
  const store = createLimitStore(env);
  deps = {
    ...createDirectusStrategy(env),
    verifier: createPlivoVerifier(env),
    ...createSignInStore(env, store),
    refreshes: createSharedRefresh(env, store),
    deliveries: createDeliveryReports(env, store),
    pacer: createPacer(),
    clock: { now: () => Date.now() },
    random: { uuid: () => randomUUID() },
    policy: policyFromEnv(env),
  };
  return deps;
}

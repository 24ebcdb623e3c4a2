import 'server-only';

import type { Env } from '../env';
import type { Credentials, Directory } from '../sign-in/ports';
import { createSessionStrategy } from './session';
import { createStaticStrategy } from './static';

/** The Directus adapters of the configured credential strategy (DIRECTUS_CREDENTIALS). */
export function createDirectusStrategy(env: Env): { directory: Directory; credentials: Credentials } {
  // parseEnv made sure the chosen strategy's way into Directus is set.
  return env.DIRECTUS_CREDENTIALS === 'static'
    ? createStaticStrategy({ ...env, DIRECTUS_TOKEN: env.DIRECTUS_TOKEN!, DIRECTUS_MEMBER_ROLES: env.DIRECTUS_MEMBER_ROLES! })
    : createSessionStrategy({ ...env, DIRECTUS_EXTENSION_KEY: env.DIRECTUS_EXTENSION_KEY! });
}

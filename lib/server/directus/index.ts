import 'server-only';

import type { Env } from '../env';
import type { CredentialStrategy, Directory } from '../sign-in/ports';
import { createSessionStrategy } from './session';
import { createStaticStrategy } from './static';

/** The Directus adapters of the configured credential strategy (DIRECTUS_CREDENTIALS). */
export function createDirectusStrategy(env: Env): { directory: Directory; credentials: CredentialStrategy } {
  return env.DIRECTUS_CREDENTIALS === 'static' ? createStaticStrategy(env) : createSessionStrategy(env);
}

import 'server-only';

import { classifyProbe, probeSignInExtension, type ExtensionState } from '@/lib/sign-in-extension-probe';
import type { Env } from './env';

/** The sms-sign-in extension as the app meets it: ok, or why not (for the log; the health answer says only "unavailable"). */
export type ExtensionHealth = 'ok' | 'not_loaded' | 'not_configured' | 'key_refused' | 'phone_field_missing' | 'unexpected' | 'unreachable';

const HEALTH_OF: Record<ExtensionState, ExtensionHealth> = {
  'key-matches': 'ok',
  'not-loaded': 'not_loaded',
  'not-configured': 'not_configured',
  'key-wrong': 'key_refused',
  'no-phone-field': 'phone_field_missing',
  // Only an answer to a request without a key; the app always sends one.
  configured: 'unexpected',
  unexpected: 'unexpected',
};

/**
 * Asks the extension one harmless lookup with the app's own key, as the setup command does: a
 * Directus that answers its ping can still refuse every sign-in (extension missing or
 * unconfigured, the key changed on one side only).
 */
export async function checkExtension(
  env: Pick<Env, 'DIRECTUS_URL' | 'DIRECTUS_EXTENSION_KEY' | 'DIRECTUS_TIMEOUT_MS'>,
  doFetch: typeof fetch = fetch,
): Promise<ExtensionHealth> {
  try {
    const probe = await probeSignInExtension({
      url: env.DIRECTUS_URL,
      key: env.DIRECTUS_EXTENSION_KEY,
      timeoutMs: env.DIRECTUS_TIMEOUT_MS,
      fetch: doFetch,
    });
    return HEALTH_OF[classifyProbe(probe, env.DIRECTUS_EXTENSION_KEY !== undefined)];
  } catch {
    return 'unreachable';
  }
}

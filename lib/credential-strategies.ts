// Declared once for the app's environment, its Directus adapters and the setup script alike.
// Plain data (no server-only import) so that scripts can read it too.

/**
 * How people get a Directus credential: `session` (our Directus extension issues ordinary
 * sessions) or `static` (a static token on each member's row).
 */
export const CREDENTIAL_STRATEGIES = ['session', 'static'] as const;
export type CredentialStrategyName = (typeof CREDENTIAL_STRATEGIES)[number];

// The environment of the bench's app, per configuration: a production build with every limit out
// of the way, the strategy's credentials, and where its limits live.
import { randomBytes } from 'node:crypto';

import { LOCAL_STACK } from '../../lib/local-stack';
import type { AppConfig } from './bench-stack';

/** Every limit far above what the bench sends: it measures the work, not the refusals. */
const LIMITS_OUT_OF_THE_WAY = {
  OTP_RESEND_AFTER_SECONDS: '0',
  LIMIT_CODES_PER_PHONE_HOUR: '1000000',
  LIMIT_CODES_PER_PHONE_DAY: '1000000',
  LIMIT_SENDS_PER_IP_HOUR: '1000000',
  LIMIT_VERIFIES_PER_IP_10_MIN: '1000000',
  LIMIT_SMS_PER_HOUR: '1000000',
  LIMIT_PASSKEY_OPTIONS_PER_IP_10_MIN: '1000000',
  LIMIT_PASSKEY_SIGN_INS_PER_IP_10_MIN: '1000000',
};

/** What the app is pointed at: the bench stack's services. */
export type BenchServices = {
  directusUrl: string;
  extensionKey: string;
  emulatorUrl: string;
  redisUrl: string;
  /** The static strategy's: Directus's service token and the member role. */
  serviceToken: string;
  memberRoleId: string;
};

export function benchAppEnv({ strategy, limits, deliveryReports }: AppConfig, services: BenchServices): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DIRECTUS_URL: services.directusUrl,
    DIRECTUS_EXTENSION_KEY: services.extensionKey,
    PLIVO_AUTH_ID: LOCAL_STACK.plivo.authId,
    PLIVO_AUTH_TOKEN: LOCAL_STACK.plivo.authToken,
    PLIVO_APP_UUID: LOCAL_STACK.plivo.appUuid,
    PLIVO_API_URL: services.emulatorUrl,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ALLOWED_COUNTRIES: 'GB',
    CRON_SECRET: randomBytes(24).toString('base64url'),
    TRUST_PROXY: 'direct',
    ...LIMITS_OUT_OF_THE_WAY,
    PLIVO_DELIVERY_REPORTS: deliveryReports ? 'auto' : 'off',
    ...(strategy === 'static'
      ? { DIRECTUS_CREDENTIALS: 'static', DIRECTUS_TOKEN: services.serviceToken, DIRECTUS_MEMBER_ROLES: services.memberRoleId }
      : {}),
    // One instance is all the bench runs, which production must be told to keep limits in memory.
    ...(limits === 'redis' ? { REDIS_URL: services.redisUrl } : { SINGLE_INSTANCE: 'true' }),
  };
}

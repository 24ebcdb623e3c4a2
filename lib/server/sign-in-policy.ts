import { HOME_PATH, WELCOME_PATH } from '@/lib/paths';

import type { Env } from './env';
import { deliveryReportsEnabled } from './plivo/callbacks';
import type { SignInPolicy } from './sign-in/policy';

// Outside lib/server/sign-in/ because it reads the configuration, which the use-cases never see:
// they are handed the policy this builds (by sign-in-deps.ts, and by the unit tests' fakes).

/** The policy a deployment runs with, from its configuration. */
export function policyFromEnv(env: Env): SignInPolicy {
  return {
    codeTtlSeconds: env.OTP_EXPIRY_SECONDS,
    resendAfterSeconds: env.OTP_RESEND_AFTER_SECONDS,
    sessionMaxAgeSeconds: env.SESSION_MAX_AGE_SECONDS,
    homePath: HOME_PATH,
    allowedCountries: env.ALLOWED_COUNTRIES,
    allowedNumberTypes: env.ALLOWED_NUMBER_TYPES,
    signUp: env.SIGN_UP === 'open',
    welcomePath: WELCOME_PATH,
    deliveryReports: deliveryReportsEnabled(env),
  };
}

import type { NumberType } from 'libphonenumber-js';

// How codes are handed out. NIST SP 800-63B-4 §3.1.3.2 and ASVS 6.5.5: valid for at most 10 minutes.
// The counting limits (attempts, cooldowns, budgets) belong to the limiter's configuration.
export type SignInPolicy = {
  /** Seconds a code lives from its first send: the Plivo app's code expiry. */
  codeTtlSeconds: number;
  /** Seconds before the same number may be sent a code again. */
  resendAfterSeconds: number;
  /** Absolute lifetime of a sign-in, whatever refreshes it had, and of the cookie that holds it. */
  sessionMaxAgeSeconds: number;
  /** Where a person lands after signing in when nothing else was asked for. */
  homePath: string;
  /** ISO 3166-1 alpha-2 codes we send to, or '*' for every country. */
  allowedCountries: '*' | readonly string[];
  /** Number types that receive codes; premium-rate and the like are where SMS pumping pays. */
  allowedNumberTypes: readonly NumberType[];
  /** A number nobody holds becomes a member once its code is verified (SIGN_UP=open). */
  signUp: boolean;
  /** Where a person without a first name is sent after signing in, and from protected pages, until they give one. */
  welcomePath: string;
  /** Whether the SMS provider reports how deliveries went (it can reach APP_URL). */
  deliveryReports: boolean;
};

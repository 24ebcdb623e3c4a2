// How a code may be used. NIST SP 800-63B-4 §3.1.3.2 and ASVS 6.5.5: valid for at most 10 minutes.
export type SignInPolicy = {
  /** Seconds a pending verification stays usable (must not exceed the Plivo app's code expiry). */
  codeTtlSeconds: number;
  /** Seconds before the same verification may be sent again. */
  resendAfterSeconds: number;
  /** Wrong codes accepted per pending verification before a new code is needed. */
  maxAttempts: number;
  /** Lifetime of the Directus credential and of the cookie that holds it. */
  sessionMaxAgeSeconds: number;
  /** Where a person lands after signing in when nothing else was asked for. */
  homePath: string;
};

export const DEFAULT_POLICY: Omit<SignInPolicy, 'sessionMaxAgeSeconds'> = {
  codeTtlSeconds: 600,
  resendAfterSeconds: 30,
  maxAttempts: 5,
  homePath: '/account',
};

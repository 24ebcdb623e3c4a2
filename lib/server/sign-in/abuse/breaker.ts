import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

import type { AbusePolicy, Conversion, Route } from './ports';

/**
 * A whole country is judged on this many times the sends a prefix is: one busy prefix must not
 * pause a country's every number, while a pumper spreading over many prefixes still trips it.
 */
export const COUNTRY_SCALE = 5;

/** The routes a number's code goes to: its country's calling code and its first digits. */
export function routesOf(e164: string, policy: AbusePolicy): Route[] {
  const digits = e164.replace(/\D/g, '');
  return [
    {
      kind: 'country',
      digits: parsePhoneNumberFromString(e164)?.countryCallingCode ?? digits.slice(0, 1),
    },
    { kind: 'prefix', digits: digits.slice(0, policy.prefixDigits) },
  ];
}

/** What the breaker makes of a route's counts: send freely, ask for the raised check, or pause. */
export type RouteState = 'normal' | 'check' | 'pause';

export function routeState(route: Route, { sends, verified }: Conversion, policy: AbusePolicy): RouteState {
  const scale = route.kind === 'country' ? COUNTRY_SCALE : 1;
  const seldomUsed = sends > 0 && verified / sends < policy.minConversion;
  if (!seldomUsed) return 'normal';
  if (sends >= policy.pauseAfterSends * scale) return 'pause';
  if (sends >= policy.checkAfterSends * scale) return 'check';
  return 'normal';
}

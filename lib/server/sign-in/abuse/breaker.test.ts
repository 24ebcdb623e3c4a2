import { describe, expect, it } from 'vitest';

import type { AbusePolicy, Route } from './ports';
import { COUNTRY_SCALE, routeState, routesOf } from './breaker';

const POLICY: AbusePolicy = {
  botCheck: 'auto',
  botCheckAfterClientSends: 3,
  breaker: true,
  prefixDigits: 7,
  checkAfterSends: 10,
  pauseAfterSends: 20,
  minConversion: 0.3,
  cooldownMs: 3_600_000,
};
const PREFIX: Route = { kind: 'prefix', digits: '4474001' };
const COUNTRY: Route = { kind: 'country', digits: '44' };

describe('the conversion breaker', () => {
  it('routes a number to its calling code and its first digits', () => {
    expect(routesOf('+447400123456', POLICY)).toEqual([COUNTRY, PREFIX]);
  });

  it('leaves a route whose codes are used alone, however busy', () => {
    expect(routeState(PREFIX, { sends: 500, verified: 400 }, POLICY)).toBe('normal');
  });

  it('asks a seldom-used prefix for the raised check first, then pauses it', () => {
    expect(routeState(PREFIX, { sends: 9, verified: 0 }, POLICY)).toBe('normal');
    expect(routeState(PREFIX, { sends: 10, verified: 2 }, POLICY)).toBe('check');
    expect(routeState(PREFIX, { sends: 19, verified: 5 }, POLICY)).toBe('check');
    expect(routeState(PREFIX, { sends: 20, verified: 5 }, POLICY)).toBe('pause');
    expect(routeState(PREFIX, { sends: 20, verified: 6 }, POLICY)).toBe('normal');
  });

  it('judges a whole country on more sends than one prefix', () => {
    expect(routeState(COUNTRY, { sends: 20, verified: 0 }, POLICY)).toBe('normal');
    expect(routeState(COUNTRY, { sends: 20 * COUNTRY_SCALE, verified: 0 }, POLICY)).toBe('pause');
  });
});

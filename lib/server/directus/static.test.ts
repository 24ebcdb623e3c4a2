import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { assertFreshToken } from './static';

describe('assertFreshToken', () => {
  it('accepts a fresh 32-byte base64url credential', () => {
    expect(() => assertFreshToken(randomBytes(32).toString('base64url'))).not.toThrow();
  });

  it.each([['**********'], [''], ['short'], [randomBytes(32).toString('base64')], [`${randomBytes(32).toString('base64url')} `]])(
    'refuses to write %j, which is not one (Directus masks tokens as **********)',
    (token) => {
      expect(() => assertFreshToken(token)).toThrow(/fresh random token/);
    },
  );
});

import { describe, expect, it } from 'vitest';

import { maskPhone, normalizePhone } from './phone';

describe('normalizePhone', () => {
  it.each([
    ['07400 123456', 'GB', '+447400123456'],
    ['+44 (0)7400 123456', undefined, '+447400123456'],
    ['0044 7400 123456', 'GB', '+447400123456'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['01 23 45 67 89', 'FR', '+33123456789'],
    ['07 08 09 10 11', 'CI', '+2250708091011'],
  ])('%s in %s is %s', (input, country, e164) => {
    expect(normalizePhone(input, country)?.e164).toBe(e164);
  });

  it('formats the international form', () => {
    expect(normalizePhone('+447400123456')?.international).toBe('+44 7400 123456');
  });

  it.each(['', 'abc', '12', '+491000000000', '07400 12345678901', '+353850122240;ext=99', '07400 123456 ext. 12'])(
    'rejects %j',
    (input) => {
      expect(normalizePhone(input, 'GB')).toBeUndefined();
    },
  );
});

describe('maskPhone', () => {
  it('keeps the country prefix and the last three digits only', () => {
    expect(maskPhone('+447400123456')).toBe('+44******456');
    expect(maskPhone('+12015550123')).toBe('+12******123');
    expect(maskPhone('+1234')).toBe('******');
  });
});

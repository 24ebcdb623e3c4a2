import { describe, expect, it } from 'vitest';

import { asciiDigits, sanitizeCode } from './digits';

describe('asciiDigits', () => {
  it.each([
    ['Arabic-Indic', '٠١٢٣٤٥٦٧٨٩'],
    ['Persian', '۰۱۲۳۴۵۶۷۸۹'],
    ['Devanagari', '०१२३४५६७८९'],
    ['Bengali', '০১২৩৪৫৬৭৮৯'],
    ['fullwidth', '０１２３４５６７８９'],
    ['mathematical bold', '𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗'],
    ['mathematical monospace', '𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿'],
  ])('reads %s digits', (_script, digits) => {
    expect(asciiDigits(digits)).toBe('0123456789');
  });

  it('leaves everything that is not a decimal digit alone', () => {
    expect(asciiDigits('G-12 ٣٤, ½ ² Ⅻ')).toBe('G-12 34, ½ ² Ⅻ');
  });
});

describe('sanitizeCode', () => {
  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    [' 12 34 56 ', '123456'],
    ['G-123456', '123456'],
    ['123456789', '12345678'],
    ['abc', ''],
    ['١٢٣٤٥٦', '123456'],
    ['۱۲۳ ۴۵۶', '123456'],
    ['१२३४५६', '123456'],
    ['１２３４５６', '123456'],
  ])('%j -> %j', (raw, clean) => expect(sanitizeCode(raw)).toBe(clean));
});

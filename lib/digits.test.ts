import { describe, expect, it } from 'vitest';

import { asciiDigits } from './digits';

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

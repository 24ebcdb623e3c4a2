import { describe, expect, it } from 'vitest';

import { equalSecrets } from './constant-time';

describe('equalSecrets', () => {
  it('says whether two secrets are the same, strings or bytes alike', () => {
    expect(equalSecrets('Bearer s3cret', 'Bearer s3cret')).toBe(true);
    expect(equalSecrets('Bearer s3cret', 'Bearer s3creT')).toBe(false);
    expect(equalSecrets(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    expect(equalSecrets(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 4]))).toBe(false);
    expect(equalSecrets('', '')).toBe(true);
  });

  it('is false, without throwing, for secrets of different lengths', () => {
    expect(equalSecrets('424242', '4242420')).toBe(false);
    expect(equalSecrets('', 'Bearer s3cret')).toBe(false);
    expect(equalSecrets(Buffer.alloc(0), Buffer.alloc(32))).toBe(false);
  });
});

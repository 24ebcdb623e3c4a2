import { describe, expect, it } from 'vitest';

import { probabilityGreater, quantile } from './stats';

describe('bench statistics', () => {
  it('interpolates quantiles', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([3, 1, 2], 0)).toBe(1);
  });

  it('tells separable samples apart and equal ones not', () => {
    expect(probabilityGreater([10, 11, 12], [1, 2, 3])).toBe(1);
    expect(probabilityGreater([1, 2, 3], [1, 2, 3])).toBe(0.5);
  });
});

import { describe, expect, it } from 'vitest';

import { translatorFor } from '@/lib/i18n/translator.test-support';

import { formatWait, secondsUntil } from './wait-time';

const en = translatorFor('en');
const de = translatorFor('de');
const es = translatorFor('es');

describe('formatWait', () => {
  it.each([
    [27, '27 s'],
    [26.2, '27 s'],
    [0, '0 s'],
    [-3, '0 s'],
    [60, '1 min'],
    [65, '1 min 5 s'],
    [600, '10 min'],
  ])('%d -> %j', (seconds, text) => expect(formatWait(seconds, en)).toBe(text));

  it('speaks the page language', () => {
    expect(formatWait(65, de)).toBe('1 min 5 s');
    expect(formatWait(27, es)).toBe('27 s');
  });
});

describe('secondsUntil', () => {
  it('rounds up and never goes below zero', () => {
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 100)).toBe(10);
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 20_000)).toBe(0);
  });
});

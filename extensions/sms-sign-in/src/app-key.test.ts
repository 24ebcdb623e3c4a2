import { describe, expect, it } from 'vitest';
import { appKeyMatches } from './app-key';

const key = 'k'.repeat(40);

describe('appKeyMatches', () => {
  it('accepts exactly the configured key', () => {
    expect(appKeyMatches(key, key)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['one character off', `${'k'.repeat(39)}x`],
    ['a prefix', key.slice(0, 32)],
    ['longer', `${key}k`],
    ['not a string', ['k'.repeat(40)]],
  ])('refuses a key that is %s', (_name, given) => {
    expect(appKeyMatches(key, given)).toBe(false);
  });
});

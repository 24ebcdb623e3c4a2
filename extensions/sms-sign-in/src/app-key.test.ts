import { describe, expect, it } from 'vitest';
import { appKeyMatches, appKeysMatch } from './app-key';

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

describe('appKeysMatch', () => {
  const previousAppKey = 'p'.repeat(40);

  it('accepts the key and, during a rotation, the previous one', () => {
    expect(appKeysMatch({ appKey: key, previousAppKey: null }, key)).toBe(true);
    expect(appKeysMatch({ appKey: key, previousAppKey }, key)).toBe(true);
    expect(appKeysMatch({ appKey: key, previousAppKey }, previousAppKey)).toBe(true);
  });

  it('refuses the previous key once it is unset, and any other key', () => {
    expect(appKeysMatch({ appKey: key, previousAppKey: null }, previousAppKey)).toBe(false);
    expect(appKeysMatch({ appKey: key, previousAppKey }, 'x'.repeat(40))).toBe(false);
    expect(appKeysMatch({ appKey: key, previousAppKey }, undefined)).toBe(false);
  });
});

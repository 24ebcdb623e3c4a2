import { describe, expect, it } from 'vitest';

import { listCountries, pickDefaultCountry, regionsFromAcceptLanguage } from './countries';

describe('listCountries', () => {
  it('labels every country with its calling code, sorted by name', () => {
    const countries = listCountries();
    expect(countries.length).toBeGreaterThan(200);
    expect(countries).toContainEqual({ code: 'GB', label: 'United Kingdom (+44)' });
    expect(countries).toContainEqual({ code: 'US', label: 'United States (+1)' });
    const labels = countries.map((c) => c.label);
    expect([...labels].sort(new Intl.Collator('en', { sensitivity: 'base' }).compare)).toEqual(labels);
    expect(new Set(countries.map((c) => c.code)).size).toBe(countries.length);
  });
});

describe('regionsFromAcceptLanguage', () => {
  it.each([
    ['en-GB,en;q=0.9', ['GB']],
    ['fr;q=0.9,de-CH;q=0.8,en-US', ['US', 'CH']],
    ['zh-Hant-TW', ['TW']],
    ['es-419,es', []],
    ['en', []],
    ['*', []],
    ['not a tag!!, pt-BR', ['BR']],
    ['en-gb;q=0', []],
    ['', []],
    [null, []],
  ])('%j -> %j', (header, regions) => expect(regionsFromAcceptLanguage(header)).toEqual(regions));
});

describe('pickDefaultCountry', () => {
  it('prefers DEFAULT_COUNTRY, then the browser region, then the US', () => {
    expect(pickDefaultCountry('GB', 'de-DE')).toBe('GB');
    expect(pickDefaultCountry(undefined, 'de-DE,de;q=0.9')).toBe('DE');
    expect(pickDefaultCountry(undefined, 'en')).toBe('US');
    expect(pickDefaultCountry(undefined, null)).toBe('US');
    // An unknown region is skipped, not trusted.
    expect(pickDefaultCountry('ZZ', 'en-ZZ,fr-FR;q=0.5')).toBe('FR');
  });
});

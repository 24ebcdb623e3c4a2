import { describe, expect, it } from 'vitest';

import { listCountries, pickDefaultCountry, regionsFromAcceptLanguage } from './countries';

describe('listCountries', () => {
  it('labels every country with its calling code, sorted by name', () => {
    const countries = listCountries('en');
    expect(countries.length).toBeGreaterThan(200);
    expect(countries).toContainEqual({ code: 'GB', label: 'United Kingdom (+44)' });
    expect(countries).toContainEqual({ code: 'US', label: 'United States (+1)' });
    const labels = countries.map((c) => c.label);
    expect([...labels].sort(new Intl.Collator('en', { sensitivity: 'base' }).compare)).toEqual(labels);
    expect(new Set(countries.map((c) => c.code)).size).toBe(countries.length);
  });

  it('names and sorts them in the page language', () => {
    const german = listCountries('de');
    expect(german).toContainEqual({ code: 'DE', label: 'Deutschland (+49)' });
    expect(german).toContainEqual({ code: 'GB', label: 'Vereinigtes Königreich (+44)' });
    const labels = german.map((c) => c.label);
    expect([...labels].sort(new Intl.Collator('de', { sensitivity: 'base' }).compare)).toEqual(labels);
    expect(listCountries('es')).toContainEqual({ code: 'ES', label: 'España (+34)' });
    expect(german.map((c) => c.code).sort()).toEqual(
      listCountries('en')
        .map((c) => c.code)
        .sort(),
    );
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

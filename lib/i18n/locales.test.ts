import { describe, expect, it } from 'vitest';

import { negotiateLocale } from './locales';

describe('negotiateLocale', () => {
  it('takes the switcher cookie first', () => {
    expect(negotiateLocale('es', 'de-DE,de;q=0.9')).toBe('es');
    expect(negotiateLocale('en', 'de')).toBe('en');
  });

  it('ignores a cookie naming a language it does not speak', () => {
    expect(negotiateLocale('fr', 'de-AT')).toBe('de');
    expect(negotiateLocale('../../etc', null)).toBe('en');
  });

  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['es-419,es;q=0.9', 'es'],
    ['fr-FR,fr;q=0.9,es;q=0.5,de;q=0.4', 'es'],
    ['en;q=0.1,de;q=0.9', 'de'],
    ['de;q=0,es', 'es'],
    ['fr, it', 'en'],
    ['*', 'en'],
    ['', 'en'],
    [null, 'en'],
  ])('Accept-Language %j -> %s', (header, locale) => expect(negotiateLocale(undefined, header)).toBe(locale));
});

import { describe, expect, it } from 'vitest';

import { CATALOGS } from './catalogs';
import { DEFAULT_LOCALE, LOCALES } from './locales';

type Tree = { [key: string]: string | Tree };

/** Every message as "namespace.key" -> text. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/**
 * What a message needs from its caller and what it wraps: {placeholders} (also those of plurals
 * and selects, without their branches' text) and <tags> of rich text.
 */
function slots(message: string): string[] {
  const found = new Set<string>();
  for (const [, name] of message.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)) found.add(`{${name}}`);
  for (const [, name] of message.matchAll(/<([A-Za-z]\w*)>/g)) found.add(`<${name}>`);
  return [...found].sort();
}

const reference = flatten(CATALOGS[DEFAULT_LOCALE]);
const others = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);

describe('catalogs', () => {
  it.each(others)('%s has exactly the keys of the English catalog', (locale) => {
    expect([...flatten(CATALOGS[locale]).keys()].sort()).toEqual([...reference.keys()].sort());
  });

  it.each(others)('%s uses the same placeholders and tags as English in every message', (locale) => {
    const catalog = flatten(CATALOGS[locale]);
    const mismatches = [...reference]
      .filter(([key, english]) => slots(catalog.get(key) ?? '').join() !== slots(english).join())
      .map(([key, english]) => ({ key, english: slots(english), [locale]: slots(catalog.get(key) ?? '') }));
    expect(mismatches).toEqual([]);
  });

  it.each(LOCALES)('%s leaves no message empty', (locale) => {
    expect([...flatten(CATALOGS[locale])].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it('finds the slots it compares', () => {
    expect(slots('Hello, {name}')).toEqual(['{name}']);
    expect(slots('{count, plural, one {# attempt left.} other {# attempts left.}}')).toEqual(['{count}']);
    expect(slots('Read it in the <inbox>inbox</inbox> at {url}.')).toEqual(['<inbox>', '{url}']);
  });
});

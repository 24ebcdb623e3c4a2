import 'server-only';

// The country picker's data, computed on the server so the browser gets a plain list instead of
// the ICU name tables and libphonenumber's country list.
import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js';

import { preferredLocales } from '@/lib/accept-language';
import type { CountryOption } from '@/lib/country-option';
import type { Locale } from '@/lib/i18n/locales';

const FALLBACK_COUNTRY = 'US';

const cached = new Map<Locale, CountryOption[]>();

/**
 * Every country libphonenumber knows, labelled "Name (+code)" in the page's language and sorted
 * by name the way that language sorts ("Deutschland" under D in German).
 */
export function listCountries(locale: Locale): CountryOption[] {
  const known = cached.get(locale);
  if (known) return known;
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  const countries = getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code, dial: getCountryCallingCode(code) }))
    .sort((a, b) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code))
    .map(({ code, name, dial }) => ({ code, label: `${name} (+${dial})` }));
  cached.set(locale, countries);
  return countries;
}

export function isSupportedCountry(code: string | null | undefined): code is CountryCode {
  return typeof code === 'string' && (getCountries() as string[]).includes(code);
}

/**
 * Regions named in an Accept-Language header, most preferred first:
 * "fr-CA,fr;q=0.9,en-GB;q=0.8" -> ["CA", "GB"]. Tags without a region ("fr") are skipped rather
 * than guessed, and so are numeric regions ("es-419").
 */
export function regionsFromAcceptLanguage(header: string | null | undefined): string[] {
  const regions: string[] = [];
  for (const { region } of preferredLocales(header)) {
    if (region && /^[A-Z]{2}$/.test(region) && !regions.includes(region)) regions.push(region);
  }
  return regions;
}

/** DEFAULT_COUNTRY, else the browser's preferred region, else the US. */
export function pickDefaultCountry(configured: string | undefined, acceptLanguage: string | null): string {
  if (isSupportedCountry(configured)) return configured;
  const fromBrowser = regionsFromAcceptLanguage(acceptLanguage).find(isSupportedCountry);
  return fromBrowser ?? FALLBACK_COUNTRY;
}

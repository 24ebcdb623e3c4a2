import 'server-only';

// The country picker's data, computed on the server so the browser gets a plain list instead of
// the ICU name tables and libphonenumber's country list.
import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js';

export type CountryOption = {
  /** ISO 3166-1 alpha-2, e.g. "GB". */
  code: string;
  /** "United Kingdom (+44)" */
  label: string;
};

const FALLBACK_COUNTRY = 'US';
const LOCALE = 'en';

let cached: CountryOption[] | undefined;

/** Every country libphonenumber knows, labelled "Name (+code)" and sorted by name. */
export function listCountries(): CountryOption[] {
  if (cached) return cached;
  const names = new Intl.DisplayNames([LOCALE], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(LOCALE, { sensitivity: 'base' });
  cached = getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code, dial: getCountryCallingCode(code) }))
    .sort((a, b) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code))
    .map(({ code, name, dial }) => ({ code, label: `${name} (+${dial})` }));
  return cached;
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
  if (!header) return [];
  const entries = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const regions: string[] = [];
  for (const { tag } of entries) {
    let region: string | undefined;
    try {
      region = new Intl.Locale(tag).region;
    } catch {
      continue; // not a valid BCP 47 tag
    }
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

// The languages the pages and the API speak. Shared by the server (which picks one per request)
// and the browser (the language switcher), so it holds no catalog.
import { preferredLocales } from '@/lib/accept-language';

export const LOCALES = ['en', 'de', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, as the switcher offers it: a person finds their own by its name. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', es: 'Español' };

/** The person's choice from the switcher (next-intl's usual name); it outranks Accept-Language. */
export const LOCALE_COOKIE = 'NEXT_LOCALE';
/** A choice is remembered for a year. */
export const LOCALE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language of one request: the switcher's cookie when it names one of ours, else the first
 * language of Accept-Language we speak ("de-AT" is German), else English.
 */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  return (
    preferredLocales(acceptLanguage)
      .map((locale) => locale.language)
      .find(isLocale) ?? DEFAULT_LOCALE
  );
}

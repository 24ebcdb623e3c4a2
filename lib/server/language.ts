import 'server-only';

import { cookies } from 'next/headers';

import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECONDS, type Locale } from '@/lib/i18n/locales';
import { getEnv } from './env';

/**
 * Remembers the language chosen in the switcher's plain form (a page without JavaScript), with
 * the attributes its script gives the cookie: not HttpOnly, so that the script can change it later.
 */
export async function rememberLocale(locale: Locale): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: '/',
    maxAge: LOCALE_COOKIE_MAX_AGE_SECONDS,
    sameSite: 'lax',
    secure: new URL(getEnv().APP_URL).protocol === 'https:',
  });
}

import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';

import { CATALOGS } from './catalogs';
import { LOCALE_COOKIE, negotiateLocale, type Locale } from './locales';

/** The language of the request being rendered or handled (pages and route handlers alike). */
export async function requestLocale(): Promise<Locale> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return negotiateLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get('accept-language'));
}

// next-intl without locale-prefixed routes: the URLs stay /login, /account, …; the language
// comes from the request itself.
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: CATALOGS[locale] };
});

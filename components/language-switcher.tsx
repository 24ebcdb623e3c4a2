'use client';

import { useLocale, useTranslations } from 'next-intl';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useId, useRef, useTransition, type FormEvent } from 'react';

import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECONDS, LOCALE_NAMES, LOCALES, isLocale } from '@/lib/i18n/locales';

/**
 * Remembers the person's language in a cookie and renders the page again in it. A refresh, not a
 * reload: what the sign-in form holds (the number typed, the code step) stays as it is. Without
 * JavaScript it is a form: the server sets the cookie and sends the browser back to this page.
 * It works from first paint, so a choice made before the page hydrates is applied once it has.
 */
export function LanguageSwitcher() {
  const id = useId();
  const t = useTranslations('language');
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const [switching, startTransition] = useTransition();
  const select = useRef<HTMLSelectElement>(null);

  const choose = (value: string) => {
    if (!isLocale(value)) return;
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${LOCALE_COOKIE}=${value}; Path=/; Max-Age=${LOCALE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
    startTransition(() => router.refresh());
  };

  // A language chosen before the page hydrated is in the select but not yet in the cookie.
  useEffect(() => {
    if (select.current && select.current.value !== locale) choose(select.current.value);
    // Once, at hydration: later changes come through onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Enter in the select would post the form: with JavaScript the change has already happened.
  const stay = (event: FormEvent) => event.preventDefault();

  return (
    <form className="language-switcher" method="post" action="/api/auth/form" onSubmit={stay}>
      <input type="hidden" name="intent" value="language" />
      <input type="hidden" name="back" value={query ? `${pathname}?${query}` : pathname} />
      <label htmlFor={id}>{t('label')}</label>
      <select
        ref={select}
        id={id}
        name="locale"
        value={locale}
        disabled={switching}
        onChange={(event) => choose(event.currentTarget.value)}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="secondary">
          {t('change')}
        </button>
      </noscript>
    </form>
  );
}

'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useTransition } from 'react';

import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECONDS, LOCALE_NAMES, LOCALES, isLocale } from '@/lib/i18n/locales';
import { useHydrated } from './use-hydrated';

/**
 * Remembers the person's language in a cookie and renders the page again in it. A refresh, not a
 * reload: what the sign-in form holds (the number typed, the code step) stays as it is.
 */
export function LanguageSwitcher() {
  const id = useId();
  const t = useTranslations('language');
  const locale = useLocale();
  const router = useRouter();
  const [switching, startTransition] = useTransition();
  // Before hydration a change would do nothing.
  const hydrated = useHydrated();

  const choose = (value: string) => {
    if (!isLocale(value)) return;
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${LOCALE_COOKIE}=${value}; Path=/; Max-Age=${LOCALE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
    startTransition(() => router.refresh());
  };

  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('label')}</label>
      <select id={id} value={locale} disabled={!hydrated || switching} onChange={(event) => choose(event.currentTarget.value)}>
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}

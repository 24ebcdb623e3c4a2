import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import type { ReactNode } from 'react';

import { LanguageSwitcher } from '@/components/language-switcher';
import { accentStyleSheet } from '@/lib/server/branding';
import { nonceOf } from '@/lib/server/content-security-policy';
import { getEnv } from '@/lib/server/env';

import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('meta');
  // The app's name is a name: the same in every language.
  return { title: { default: t('title'), template: `%s · ${getEnv().APP_NAME}` }, description: t('description') };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, so that its scripts carry that response's CSP nonce (a
  // prerendered page, such as the 404 page, would have none and its scripts would be blocked).
  await connection();
  const { APP_NAME, APP_LOGO_URL, APP_ACCENT_COLOR } = getEnv();
  // style-src admits only nonced <style> blocks, not style attributes: the accent goes in one.
  const nonce = nonceOf((await headers()).get('content-security-policy'));
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <head>{APP_ACCENT_COLOR ? <style nonce={nonce}>{accentStyleSheet(APP_ACCENT_COLOR)}</style> : null}</head>
      <body>
        {/* Hands the request's language and catalog to the client components. */}
        <NextIntlClientProvider>
          <header className="site-header">
            <span className="brand">
              {APP_LOGO_URL ? (
                // A plain <img>: the logo's host is known only at run time, and next/image would
                // need it at build time (images.remotePatterns). It is decorative: the name follows.
                // eslint-disable-next-line @next/next/no-img-element
                <img className="brand-logo" src={APP_LOGO_URL} alt="" />
              ) : null}
              <span className="brand-name">{APP_NAME}</span>
            </span>
            <LanguageSwitcher />
          </header>
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}

import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { connection } from 'next/server';
import type { ReactNode } from 'react';

import { LanguageSwitcher } from '@/components/language-switcher';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('meta');
  return { title: { default: t('title'), template: t('titleTemplate') }, description: t('description') };
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
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>
        {/* Hands the request's language and catalog to the client components. */}
        <NextIntlClientProvider>
          <header className="site-header">
            <LanguageSwitcher />
          </header>
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}

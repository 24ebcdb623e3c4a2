import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import type { ReactNode } from 'react';

import { accentStyleSheet } from '@/lib/server/branding';
import { nonceOf } from '@/lib/server/content-security-policy';
import { getEnv } from '@/lib/server/env';

import './globals.css';

export function generateMetadata(): Metadata {
  return {
    title: { default: 'Sign in', template: `%s · ${getEnv().APP_NAME}` },
    description: 'Sign in with a one-time code sent to your phone.',
  };
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
  return (
    <html lang="en">
      <head>{APP_ACCENT_COLOR ? <style nonce={nonce}>{accentStyleSheet(APP_ACCENT_COLOR)}</style> : null}</head>
      <body>
        <header className="brand">
          {APP_LOGO_URL ? (
            // A plain <img>: the logo's host is known only at run time, and next/image would
            // need it at build time (images.remotePatterns). It is decorative: the name follows.
            // eslint-disable-next-line @next/next/no-img-element
            <img className="brand-logo" src={APP_LOGO_URL} alt="" />
          ) : null}
          <span className="brand-name">{APP_NAME}</span>
        </header>
        {children}
      </body>
    </html>
  );
}

import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';

import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sign in', template: '%s · SMS sign-in' },
  description: 'Sign in with a one-time code sent to your phone.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, so that its scripts carry that response's CSP nonce (a
  // prerendered page, such as the 404 page, would have none and its scripts would be blocked).
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

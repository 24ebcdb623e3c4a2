import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

// Replaces Next's default 404 page, whose inline style attributes the CSP (style-src) blocks.
export default function NotFound() {
  return (
    <main>
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/account" prefetch={false}>
          Go to your account
        </Link>
      </p>
    </main>
  );
}

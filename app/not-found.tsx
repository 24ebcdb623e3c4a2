import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('notFound'))('title') };
}

// Replaces Next's default 404 page, whose inline style attributes the CSP (style-src) blocks.
export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <main>
      <h1>{t('title')}</h1>
      <p>{t('text')}</p>
      <p>
        <Link href="/account" prefetch={false}>
          {t('toAccount')}
        </Link>
      </p>
    </main>
  );
}

import { readItems } from '@directus/sdk';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';

import { MemberPictures } from '@/components/member-pictures';
import type { MemberNews, MembersSchema } from '@/lib/members';
import { asPerson } from '@/lib/server/as-person';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('members'))('title') };
}
// Read from Directus as the person: never prerender or cache it.
export const dynamic = 'force-dynamic';

export default async function MembersPage() {
  const news = await asPerson<MembersSchema, MemberNews[]>('server-component', (directus) =>
    directus.request(readItems('member_news', { fields: ['id', 'sort', 'title', 'summary', 'image'], sort: ['sort'] })),
  );
  if (news.kind === 'signed_out') redirect('/login?next=/members');
  const t = await getTranslations('members');

  return (
    <main>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <section aria-labelledby="member-news">
        <h2 id="member-news">{t('news')}</h2>
        {news.kind === 'error' ? (
          <p role="status">{t('unavailable')}</p>
        ) : (
          <ul aria-label={t('news')} className="news">
            {news.value.map((item) => (
              <li key={item.id}>
                <strong>{item.title}</strong>
                {item.summary ? <span className="muted">{item.summary}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <MemberPictures />
      <p>
        <Link href="/account">{t('yourAccount')}</Link>
      </p>
    </main>
  );
}

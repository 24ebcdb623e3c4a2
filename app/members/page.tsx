import { readItems } from '@directus/sdk';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';

import { MemberPictures } from '@/components/member-pictures';
import type { MemberNews, MembersSchema } from '@/lib/members';
import { asPerson } from '@/lib/server/as-person';
import { readOwnRows } from '@/lib/server/own-rows';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('members'))('title') };
}
// Read from Directus as the person: never prerender or cache it.
export const dynamic = 'force-dynamic';

export default async function MembersPage() {
  const news = await asPerson<MembersSchema, MemberNews[]>((directus) =>
    directus.request(readItems('member_news', { fields: ['id', 'sort', 'title', 'summary', 'image'], sort: ['sort'] })),
  );
  if (news.kind === 'signed_out') redirect('/login?next=/members');
  // Every member may read all notes in Directus (unlicensed: no row filters); the app reads theirs only.
  const notes = await readOwnRows<MembersSchema, 'member_notes', 'id' | 'text'>('member_notes', {
    owner: 'owner',
    fields: ['id', 'text'],
    sort: ['id'],
  });
  if (notes.kind === 'signed_out') redirect('/login?next=/members');
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
      <section aria-labelledby="member-notes">
        <h2 id="member-notes">{t('notes')}</h2>
        {notes.kind === 'error' ? (
          <p role="status">{t('unavailable')}</p>
        ) : notes.value.length === 0 ? (
          <p>{t('noNotes')}</p>
        ) : (
          <ul aria-label={t('notes')}>
            {notes.value.map((note) => (
              <li key={note.id}>{note.text}</li>
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

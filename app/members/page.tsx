import { readItems } from '@directus/sdk';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';

import { MemberPictures } from '@/components/member-pictures';
import type { MemberNews, MembersSchema } from '@/lib/members';
import { asPerson } from '@/lib/server/as-person';

export const metadata: Metadata = { title: 'Members' };
// Read from Directus as the person: never prerender or cache it.
export const dynamic = 'force-dynamic';

export default async function MembersPage() {
  const news = await asPerson<MembersSchema, MemberNews[]>((directus) =>
    directus.request(readItems('member_news', { fields: ['id', 'sort', 'title', 'summary', 'image'], sort: ['sort'] })),
  );
  if (news.kind === 'signed_out') redirect('/login?next=/members');

  return (
    <main>
      <h1>Members</h1>
      <p>This page is read from Directus as you; the pictures below are loaded by your browser through this site.</p>
      <section aria-labelledby="member-news">
        <h2 id="member-news">Member news</h2>
        {news.kind === 'error' ? (
          <p role="status">The members area is temporarily unavailable. Please try again in a moment.</p>
        ) : (
          <ul aria-label="Member news" className="news">
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
        <Link href="/account">Your account</Link>
      </p>
    </main>
  );
}

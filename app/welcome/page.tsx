import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';

import { FirstNameForm } from '@/components/first-name-form';
import { safeNextPath } from '@/lib/safe-next-path';
import { readSession } from '@/lib/server/session/cookie';
import { HOME_PATH } from '@/lib/paths';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('welcome'))('title') };
}
// Depends on the session cookie: never prerender or cache it.
export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The first-name step after sign-up; protected pages send a person here until they give one. */
export default async function WelcomePage({ searchParams }: Props) {
  const [params, session] = await Promise.all([searchParams, readSession()]);
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  if (!session.user) redirect('/login?next=/welcome');
  if (!session.user.needsFirstName) redirect(next ?? HOME_PATH);

  return (
    <main>
      <FirstNameForm next={next} />
    </main>
  );
}

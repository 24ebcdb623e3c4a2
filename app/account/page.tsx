import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';

import { loadAccount } from '@/lib/server/account';
import { SignOutButton } from '@/components/sign-out-button';

export const metadata: Metadata = { title: 'Your account' };
// Per-person content read with the session cookie: never prerender or cache it.
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const account = await loadAccount();

  if (account.kind === 'signed_out') redirect('/login?next=/account');

  if (account.kind === 'unavailable') {
    return (
      <main>
        <h1>Your account</h1>
        <p role="status">
          Your account is temporarily unavailable. Please try again in a moment.
        </p>
        <p>
          <Link href="/account" prefetch={false}>
            Try again
          </Link>
        </p>
        <SignOutButton />
      </main>
    );
  }

  const { user } = account;
  const firstName = user.first_name?.trim();
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');

  return (
    <main>
      <h1>{firstName ? `Hello, ${firstName}` : 'Hello'}</h1>
      <p>You are signed in.</p>
      <dl className="details">
        <dt>Name</dt>
        <dd>{fullName || 'Not set'}</dd>
        <dt>Phone</dt>
        <dd>{user.phone || 'Not set'}</dd>
        <dt>Email</dt>
        <dd>{user.email || 'Not set'}</dd>
      </dl>
      <SignOutButton />
    </main>
  );
}

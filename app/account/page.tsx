import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';

import { loadAccount, type DeviceView } from '@/lib/server/account';
import { PostButton } from '@/components/post-button';

export const metadata: Metadata = { title: 'Your account' };
// Per-person content read with the session cookie: never prerender or cache it.
export const dynamic = 'force-dynamic';

const signOut = <PostButton path="/api/auth/logout" label="Sign out" then="/login" />;

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
        {signOut}
      </main>
    );
  }

  const { user, devices } = account;
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
      <p>
        <Link href="/members">Members area</Link>
      </p>
      {signOut}
      {devices ? <Devices devices={devices} /> : null}
    </main>
  );
}

/** Only with the `session` strategy: a static token is one credential for all devices. */
function Devices({ devices }: { devices: DeviceView[] }) {
  return (
    <section aria-labelledby="devices">
      <h2 id="devices">Devices</h2>
      <ul aria-label="Your devices" className="devices">
        {devices.map((device) => (
          <li key={device.id}>
            <strong>{device.name}</strong>
            {device.current ? <span className="badge">This device</span> : null}
            <span className="muted">
              {device.signedInAt ? <>Signed in {when(device.signedInAt)}. </> : null}
              {device.lastActiveAt ? <>Last active {when(device.lastActiveAt)}.</> : null}
            </span>
          </li>
        ))}
      </ul>
      <PostButton path="/api/auth/sign-out-others" label="Sign out other devices" then="/account" />
    </section>
  );
}

function when(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
}

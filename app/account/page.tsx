import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';

import { errorText } from '@/lib/error-text';
import { loadAccount, type DeviceView } from '@/lib/server/account';
import { formErrorFromQuery, type PageQuery } from '@/lib/server/form-error';
import { PasskeysSection, type PasskeyView } from '@/components/passkeys-section';
import { PostButton } from '@/components/post-button';
import type { Passkey } from '@/lib/api-contract';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('title') };
}
// Per-person content read with the session cookie: never prerender or cache it.
export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<PageQuery> };

export default async function AccountPage({ searchParams }: Props) {
  const [account, t, translate, params] = await Promise.all([loadAccount(), getTranslations('account'), getTranslations(), searchParams]);
  // Why the last plain form post of this page (sign out, sign out other devices) failed, if it did.
  const postError = formErrorFromQuery(params);
  const postFailed = (
    <p role="alert" className="form-error">
      {postError ? errorText(postError, translate) : null}
    </p>
  );
  const signOut = <PostButton path="/api/auth/logout" intent="sign-out" label={t('signOut')} then="/login" />;

  if (account.kind === 'signed_out') redirect('/login?next=/account');

  if (account.kind === 'unavailable') {
    return (
      <main>
        <h1>{t('title')}</h1>
        {postFailed}
        <p role="status">{t('unavailable')}</p>
        <p>
          <Link href="/account" prefetch={false}>
            {t('tryAgain')}
          </Link>
        </p>
        {signOut}
      </main>
    );
  }

  const { user, devices, passkeys } = account;
  const firstName = user.first_name?.trim();
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');

  return (
    <main>
      <h1>{firstName ? t('helloName', { name: firstName }) : t('hello')}</h1>
      {postFailed}
      <p>{t('signedIn')}</p>
      <dl className="details">
        <dt>{t('name')}</dt>
        <dd>{fullName || t('notSet')}</dd>
        <dt>{t('phone')}</dt>
        <dd>{user.phone || t('notSet')}</dd>
        <dt>{t('email')}</dt>
        <dd>{user.email || t('notSet')}</dd>
      </dl>
      <p>
        <Link href="/members">{t('membersArea')}</Link>
      </p>
      {signOut}
      {passkeys ? <PasskeysSection passkeys={await passkeyViews(passkeys)} /> : null}
      {devices ? <Devices devices={devices} /> : null}
    </main>
  );
}

/** Dates and times the way the page's language writes them, in UTC (the server knows no time zone). */
async function dateWriter(): Promise<(iso: string) => string> {
  const format = await getFormatter();
  return (iso) => `${format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

async function passkeyViews(passkeys: Passkey[]): Promise<PasskeyView[]> {
  const when = await dateWriter();
  return passkeys.map(({ id, name, backedUp, createdAt, lastUsedAt }) => ({
    id,
    name,
    backedUp,
    added: when(createdAt),
    lastUsed: lastUsedAt ? when(lastUsedAt) : null,
  }));
}

/** Only with the `session` strategy: a static token is one credential for all devices. */
async function Devices({ devices }: { devices: DeviceView[] }) {
  const [t, when] = await Promise.all([getTranslations('account'), dateWriter()]);
  return (
    <section aria-labelledby="devices">
      <h2 id="devices">{t('devices')}</h2>
      <ul aria-label={t('yourDevices')} className="devices">
        {devices.map((device) => (
          <li key={device.id}>
            <strong>{device.name}</strong>
            {device.current ? <span className="badge">{t('thisDevice')}</span> : null}
            <span className="muted">
              {device.signedInAt ? <>{t('signedInAt', { when: when(device.signedInAt) })} </> : null}
              {device.lastActiveAt ? t('lastActiveAt', { when: when(device.lastActiveAt) }) : null}
            </span>
          </li>
        ))}
      </ul>
      <PostButton path="/api/auth/sign-out-others" intent="sign-out-others" label={t('signOutOthers')} then="/account" />
    </section>
  );
}

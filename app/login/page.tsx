import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';

import { listCountries, pickDefaultCountry } from '@/lib/countries';
import { safeNextPath } from '@/lib/phone-client';
import { getEnv } from '@/lib/server/env';
import { LoginFlow } from '@/components/login-flow';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const [params, requestHeaders] = await Promise.all([searchParams, headers()]);
  const env = getEnv();
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  const defaultCountry = pickDefaultCountry(env.DEFAULT_COUNTRY, requestHeaders.get('accept-language'));
  const showInbox = process.env.NODE_ENV !== 'production' && env.plivoEmulated;

  return (
    <main>
      <LoginFlow countries={listCountries()} defaultCountry={defaultCountry} next={next} codeLength={env.OTP_CODE_LENGTH} />
      {showInbox ? (
        <p className="muted dev-note">
          Developer mode: no real SMS is sent. Read the code in the{' '}
          <Link href="/dev/inbox" target="_blank">
            developer inbox
          </Link>
          .
        </p>
      ) : null}
    </main>
  );
}

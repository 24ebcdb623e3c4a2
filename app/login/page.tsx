import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { headers } from 'next/headers';

import { listCountries, pickDefaultCountry } from '@/lib/server/countries';
import { safeNextPath } from '@/lib/safe-next-path';
import { getEnv } from '@/lib/server/env';
import { LoginFlow } from '@/components/login-flow';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('meta'))('title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const [params, requestHeaders, locale, t] = await Promise.all([searchParams, headers(), getLocale(), getTranslations('login')]);
  const env = getEnv();
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  const defaultCountry = pickDefaultCountry(env.DEFAULT_COUNTRY, requestHeaders.get('accept-language'));
  const showInbox = process.env.NODE_ENV !== 'production' && env.plivoEmulated;

  return (
    <main>
      <LoginFlow countries={listCountries(locale)} defaultCountry={defaultCountry} next={next} codeLength={env.OTP_CODE_LENGTH} />
      {showInbox ? (
        <p className="muted dev-note">
          {t.rich('devNote', {
            inbox: (text) => (
              <Link href="/dev/inbox" target="_blank">
                {text}
              </Link>
            ),
          })}
        </p>
      ) : null}
    </main>
  );
}

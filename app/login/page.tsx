import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { headers } from 'next/headers';

import { listCountries, pickDefaultCountry } from '@/lib/server/countries';
import { safeNextPath } from '@/lib/safe-next-path';
import { getEnv } from '@/lib/server/env';
import { LoginFlow, type LoginStart } from '@/components/login-flow';
import { formErrorFromQuery, type PageQuery } from '@/lib/server/form-error';
import { readSession } from '@/lib/server/session/cookie';
import { getSignInDeps } from '@/lib/server/sign-in-deps';
import { pendingCodeSent } from '@/lib/server/sign-in/sms/pending-verification';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('meta'))('title') };
}

type Props = { searchParams: Promise<PageQuery> };

export default async function LoginPage({ searchParams }: Props) {
  const [params, requestHeaders, locale, t, session] = await Promise.all([
    searchParams,
    headers(),
    getLocale(),
    getTranslations('login'),
    readSession(),
  ]);
  const env = getEnv();
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  const defaultCountry = pickDefaultCountry(env.DEFAULT_COUNTRY, requestHeaders.get('accept-language'));
  // A code on its way opens the code step, as after the form post that sent it (unless the person
  // chose to change the number); the number stays for "Get a new code" and the phone step.
  const { pending } = session;
  const start: LoginStart = {
    phone: { country: defaultCountry, phone: pending?.phone ?? '' },
    sent: pending && !session.user && params.step !== 'phone' ? pendingCodeSent(getSignInDeps(), pending) : null,
    resent: params.resent === '1',
    error: formErrorFromQuery(params),
  };
  const showInbox = process.env.NODE_ENV !== 'production' && env.plivoEmulated;

  return (
    <main>
      <LoginFlow
        countries={listCountries(locale)}
        start={start}
        next={next}
        codeLength={env.OTP_CODE_LENGTH}
        passkeys={env.DIRECTUS_CREDENTIALS === 'session'}
      />
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

'use client';

import { useTranslations } from 'next-intl';
import { useEffect } from 'react';

// Anything loadAccount() did not expect (it maps known outages to "unavailable" itself).
export default function AccountError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations('account');
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main>
      <h1>{t('title')}</h1>
      <p role="status">{t('loadFailed')}</p>
      <button type="button" onClick={() => retry()}>
        {t('tryAgain')}
      </button>
    </main>
  );
}

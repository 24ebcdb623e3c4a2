import { createTranslator } from 'next-intl';

import type { Translate } from '@/lib/i18n/translate';
import { CATALOGS } from './catalogs';
import type { Locale } from './locales';

/** The translator a page in `locale` hands its client components, for tests of pure helpers. */
export function translatorFor(locale: Locale): Translate {
  return createTranslator({ locale, messages: CATALOGS[locale] }) as unknown as Translate;
}

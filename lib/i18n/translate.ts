import type { useTranslations } from 'next-intl';

/** The page's translator (next-intl's useTranslations()), handed to pure helpers so they need no hook. */
export type Translate = ReturnType<typeof useTranslations<never>>;

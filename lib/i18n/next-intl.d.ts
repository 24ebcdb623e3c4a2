import type { Messages } from './catalogs';
import type { Locale } from './locales';

// Message keys and locales are checked by the type checker: a key missing from the English
// catalog, or a typo in one, fails `npm run typecheck`.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}

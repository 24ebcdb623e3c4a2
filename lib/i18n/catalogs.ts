import 'server-only';

import type { Locale } from './locales';
import de from './messages/de.json';
import en from './messages/en.json';
import es from './messages/es.json';

/** English is the reference: every other catalog has exactly its keys and placeholders. */
export type Messages = typeof en;

/** Every catalog, for the pages (one per request) and the API's error sentences. */
export const CATALOGS: Record<Locale, Messages> = { en, de, es };

// A person recognises a device by its browser and system ("Chrome on Android"), not by its user
// agent string. The usual tokens, most specific first; anything else is "Unknown browser".
// Product names stay as they are in every language; the words around them are the catalog's.
import type { Translate } from '@/lib/i18n/translate';

const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Edg(A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/CriOS\/|Chrome\/|Chromium\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Android/, 'Android'],
  [/iPhone|iPod/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

export function describeDevice(userAgent: string | null, t: Translate): string {
  if (!userAgent) return t('account.unknownDevice');
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? t('account.unknownBrowser');
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  return system ? t('account.browserOnSystem', { browser, system }) : browser;
}

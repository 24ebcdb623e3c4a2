import { describe, expect, it } from 'vitest';

import { translatorFor } from '@/lib/i18n/translator.test-support';
import { describeDevice } from './user-agent';

describe('describeDevice', () => {
  it.each([
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      'Safari on iPhone',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0',
      'Edge on Windows',
    ],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:140.0) Gecko/20100101 Firefox/140.0', 'Firefox on macOS'],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0 Mobile Safari/537.36',
      'Samsung Internet on Android',
    ],
    ['curl/8.5.0', 'Unknown browser'],
    [null, 'Unknown device'],
  ])('%s -> %s', (userAgent, description) => {
    expect(describeDevice(userAgent, translatorFor('en'))).toBe(description);
  });

  it('says it in the page language, product names unchanged', () => {
    const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';
    expect(describeDevice(android, translatorFor('de'))).toBe('Chrome auf Android');
    expect(describeDevice(android, translatorFor('es'))).toBe('Chrome en Android');
    expect(describeDevice('curl/8.5.0', translatorFor('de'))).toBe('Unbekannter Browser');
    expect(describeDevice(null, translatorFor('es'))).toBe('Dispositivo desconocido');
  });
});

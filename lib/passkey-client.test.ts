import { describe, expect, it } from 'vitest';

import { ceremonyFailure, hostIsUnder } from './passkey-client';

describe('hostIsUnder', () => {
  it('takes the RP ID itself and the domains under it', () => {
    expect(hostIsUnder('localhost', 'localhost')).toBe(true);
    expect(hostIsUnder('app.example.com', 'example.com')).toBe(true);
    expect(hostIsUnder('example.com', 'example.com')).toBe(true);
  });

  it('refuses an IP address, a look-alike suffix, a parent, and no RP ID', () => {
    expect(hostIsUnder('127.0.0.1', 'localhost')).toBe(false);
    expect(hostIsUnder('badexample.com', 'example.com')).toBe(false);
    expect(hostIsUnder('example.com', 'app.example.com')).toBe(false);
    expect(hostIsUnder('localhost', undefined)).toBe(false);
    expect(hostIsUnder('localhost', '')).toBe(false);
  });
});

describe('ceremonyFailure', () => {
  it("reads the person's no (or a timeout) as cancelled, anything else as failed", () => {
    expect(ceremonyFailure(new DOMException('no', 'NotAllowedError'))).toEqual({ ok: false, error: { code: 'passkey_cancelled' } });
    expect(ceremonyFailure(new DOMException('aborted', 'AbortError'))).toEqual({ ok: false, error: { code: 'passkey_cancelled' } });
    expect(ceremonyFailure(new DOMException('bad domain', 'SecurityError'))).toEqual({ ok: false, error: { code: 'passkey_failed' } });
    expect(ceremonyFailure(null)).toEqual({ ok: false, error: { code: 'passkey_failed' } });
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { translatorFor } from '@/lib/i18n/translator.test-support';

import {
  attemptsLeftText,
  errorText,
  formatWait,
  postJson,
  safeNextPath,
  sanitizeCode,
  secondsUntil,
  toClientError,
  type ClientError,
} from './phone-client';


const en = translatorFor('en');
const de = translatorFor('de');
const es = translatorFor('es');

describe('sanitizeCode', () => {
  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    [' 12 34 56 ', '123456'],
    ['G-123456', '123456'],
    ['123456789', '12345678'],
    ['abc', ''],
    ['١٢٣٤٥٦', '123456'],
    ['۱۲۳ ۴۵۶', '123456'],
    ['१२३४५६', '123456'],
    ['１２３４５６', '123456'],
  ])('%j -> %j', (raw, clean) => expect(sanitizeCode(raw)).toBe(clean));
});

describe('safeNextPath', () => {
  it.each(['/account', '/account?tab=1#x', '/a/b', '/', '/account?next=%2F%2Fevil.example'])('accepts %j', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  it.each([
    ['/a/../account', '/account'],
    ['/%2e/account', '/account'],
    ['/account/./', '/account/'],
  ])('resolves dot segments: %j -> %j', (path, resolved) => {
    expect(safeNextPath(path)).toBe(resolved);
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'account',
    '',
    undefined,
    null,
    ['/account'],
  ])('rejects %j', (path) => {
    expect(safeNextPath(path)).toBeNull();
  });

  // Each of these resolves to "//evil.example" or would become it once decoded or cleaned up.
  it.each([
    '/.//evil.example',
    '/%2e//evil.example',
    '/%2E//evil.example',
    '/..//evil.example',
    '/a/..//evil.example',
    '/a/b/../..//evil.example',
    '/.%2e//evil.example',
    '/%2e%2e//evil.example',
    '/./.././/evil.example',
    '/%2f/evil.example',
    '/%2F%2Fevil.example',
    '/.%2fevil.example',
    '/%5cevil.example',
    '/%5C%5Cevil.example',
    '/\\/evil.example',
    '/./\\evil.example',
    '/.\t//evil.example',
    '/\r\n/evil.example',
    '/\u0000/evil.example',
    'https:evil.example',
    'https:/evil.example',
    '\\\\evil.example',
    ' //evil.example',
  ])('rejects the hostile %j', (path) => {
    expect(safeNextPath(path)).toBeNull();
  });

  it('rejects values longer than 2048 characters', () => {
    expect(safeNextPath(`/${'a'.repeat(2047)}`)).toHaveLength(2048);
    expect(safeNextPath(`/${'a'.repeat(2048)}`)).toBeNull();
  });

  it('only ever returns a same-origin path, and returns it unchanged when given it again', () => {
    const piece = fc.constantFrom('/', '\\', '.', '%2e', '%2f', '%5c', '%', '\t', ':', '?', '#', 'a');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const result = safeNextPath(`/${pieces.join('')}`);
        if (result === null) return;
        expect(result).toMatch(/^\/(?![/\\])/);
        expect(new URL(result, 'https://app.example').origin).toBe('https://app.example');
        expect(safeNextPath(result)).toBe(result);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('formatWait', () => {
  it.each([
    [27, '27 s'],
    [26.2, '27 s'],
    [0, '0 s'],
    [-3, '0 s'],
    [60, '1 min'],
    [65, '1 min 5 s'],
    [600, '10 min'],
  ])('%d -> %j', (seconds, text) => expect(formatWait(seconds, en)).toBe(text));

  it('speaks the page language', () => {
    expect(formatWait(65, de)).toBe('1 min 5 s');
    expect(formatWait(27, es)).toBe('27 s');
  });
});

describe('secondsUntil', () => {
  it('rounds up and never goes below zero', () => {
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 100)).toBe(10);
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 20_000)).toBe(0);
  });
});

describe('attemptsLeftText', () => {
  it('says how many tries remain', () => {
    expect(attemptsLeftText(2, en)).toBe('2 attempts left.');
    expect(attemptsLeftText(1, en)).toBe('1 attempt left.');
    expect(attemptsLeftText(0, en)).toBe('0 attempts left.');
    expect(attemptsLeftText(undefined, en)).toBe('');
  });

  it('uses each language plural forms', () => {
    expect(attemptsLeftText(1, de)).toBe('Noch 1 Versuch.');
    expect(attemptsLeftText(3, de)).toBe('Noch 3 Versuche.');
    expect(attemptsLeftText(1, es)).toBe('Le queda 1 intento.');
    expect(attemptsLeftText(4, es)).toBe('Le quedan 4 intentos.');
  });
});

describe('toClientError', () => {
  it('keeps the API error fields', () => {
    const body = { error: { code: 'invalid_code', message: 'Wrong.', attemptsLeft: 2 } };
    expect(toClientError(400, body)).toEqual({ code: 'invalid_code', message: 'Wrong.', attemptsLeft: 2 });
  });

  it('falls back to a friendly sentence for bodies that are not API errors', () => {
    expect(toClientError(502, null)).toMatchObject({ code: 'bad_response' });
    expect(toClientError(429, '<html>')).toMatchObject({ code: 'rate_limited' });
  });
});

describe('postJson', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends JSON and returns the parsed body', async () => {
    const fetchMock = vi.fn(async () => Response.json({ status: 'signed_out' }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(postJson('/api/auth/logout', {})).resolves.toEqual({ ok: true, data: { status: 'signed_out' } });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/auth/logout',
      expect.objectContaining({ method: 'POST', body: '{}', headers: expect.objectContaining({ 'Content-Type': 'application/json' }) }),
    );
  });

  it('turns a network failure into a friendly message', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(postJson('/api/auth/start', {})).resolves.toEqual({
      ok: false,
      error: { code: 'network_error' },
    });
  });

  it('returns the API error of a failed request', async () => {
    const body = { error: { code: 'rate_limited', message: 'Slow down.', retryAfter: 30 } };
    vi.stubGlobal('fetch', vi.fn(async () => Response.json(body, { status: 429 })));
    await expect(postJson('/api/auth/resend', { channel: 'sms' })).resolves.toEqual({ ok: false, error: body.error });
  });
});

describe('errorText', () => {
  it('adds attempts left to a wrong code and the wait to a rate limit', () => {
    expect(errorText({ code: 'invalid_code', message: 'Wrong.', attemptsLeft: 2 }, en)).toBe(
      'That code is not right. Check the message and try again. 2 attempts left.',
    );
    expect(errorText({ code: 'rate_limited', message: 'Slow down.', retryAfter: 30 }, en)).toBe(
      'Too many requests. Please wait a moment and try again. Try again in 30 s.',
    );
    expect(errorText({ code: 'code_expired' }, en)).toBe('That code has expired. Ask for a new one.');
  });

  it('says it in the page language, whatever language the server used', () => {
    expect(errorText({ code: 'invalid_code', message: 'That code is not right.', attemptsLeft: 1 }, de)).toBe(
      'Dieser Code stimmt nicht. Bitte prüfen Sie die Nachricht und versuchen Sie es erneut. Noch 1 Versuch.',
    );
    expect(errorText({ code: 'rate_limited', retryAfter: 65 }, es)).toBe(
      'Demasiadas solicitudes. Espere un momento e inténtelo de nuevo. Inténtelo de nuevo dentro de 1 min 5 s.',
    );
  });

  it('has a sentence for the failures only the browser sees', () => {
    expect(errorText({ code: 'network_error' }, en)).toBe('We could not reach the server. Check your connection and try again.');
    expect(errorText({ code: 'bad_response' }, de)).toBe('Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.');
  });

  it("keeps the server's sentence for a code this page does not know", () => {
    const unknown = { code: 'something_new', message: 'A newer server said this.' } as unknown as ClientError;
    expect(errorText(unknown, es)).toBe('A newer server said this.');
  });
});

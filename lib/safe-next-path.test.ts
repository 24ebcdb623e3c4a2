import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { safeNextPath, signedInDestination } from './safe-next-path';

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

  // The API's answers (the pass-through's files above all) are no place to land after signing in:
  // an uploaded document there would open as a page of this site.
  it.each([
    '/api',
    '/api/',
    '/api?x=1',
    '/api#x',
    '/api/directus/assets/0b5e0a52-7c1d-4b1e-9d0a-2f6a1b0c3d4e',
    '/API/directus/assets/x',
    '/Api/auth/session',
    '/%61pi/directus/assets/x',
    '/%41PI/directus/assets/x',
    '/ap%69/directus',
    '/./api/directus/assets/x',
    '/%2e/api/directus/assets/x',
    '/a/../api/directus/assets/x',
    '/account/../../api/directus',
  ])('rejects the API path %j', (path) => {
    expect(safeNextPath(path)).toBeNull();
  });

  it.each(['/apis', '/api-docs', '/account/api', '/account?next=/api/directus'])('accepts %j, which is no API path', (path) => {
    expect(safeNextPath(path)).toBe(path);
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

describe('signedInDestination', () => {
  it("takes the page's next, else the server's redirect, else home; each only if safe", () => {
    expect(signedInDestination('/members', '/welcome', '/account')).toBe('/members');
    expect(signedInDestination(null, '/welcome', '/account')).toBe('/welcome');
    expect(signedInDestination('//evil.example', 'https://evil.example', '/account')).toBe('/account');
  });
});

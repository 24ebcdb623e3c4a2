import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { safeNextPath } from './safe-next-path';

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

import { describe, expect, it } from 'vitest';

import { contentSecurityPolicy, createNonce, nonceOf } from './content-security-policy';

const directives = (csp: string) =>
  Object.fromEntries(
    csp.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );

describe('contentSecurityPolicy', () => {
  it('lets only nonced scripts run in production, with no inline code and no eval', () => {
    const csp = directives(contentSecurityPolicy('abc123==', { development: false }));
    expect(csp['script-src']).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp['style-src']).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(csp).toMatchObject({
      'default-src': ["'self'"],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('allows eval for React and inline styles for the error overlay in development only', () => {
    const csp = directives(contentSecurityPolicy('abc123==', { development: true }));
    expect(csp['script-src']).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'", "'unsafe-eval'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('allows images from this site only, plus exactly the origin of a logo on another site', () => {
    expect(directives(contentSecurityPolicy('abc123==', { development: false }))['img-src']).toEqual(["'self'"]);
    const csp = directives(contentSecurityPolicy('abc123==', { development: false, logoOrigin: 'https://cdn.example.com' }));
    expect(csp['img-src']).toEqual(["'self'", 'https://cdn.example.com']);
    expect(csp['default-src']).toEqual(["'self'"]);
  });

  it('gives its nonce back to whoever reads the policy', () => {
    expect(nonceOf(contentSecurityPolicy('abc+/123==', { development: false }))).toBe('abc+/123==');
    expect(nonceOf(null)).toBeUndefined();
  });
});

describe('createNonce', () => {
  it('is 128 random bits in base64, new every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});

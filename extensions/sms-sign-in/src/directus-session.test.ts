import { describe, expect, it } from 'vitest';
import { claimsAllowMember, decodeClaims } from './directus-session';

const userId = 'a0000000-0000-4000-8000-000000000001';

describe('the claims of the issued token', () => {
  const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const good = { id: userId, role: 'r', app_access: false, admin_access: false, session: 'S' };

  it('allow a plain member session', () => {
    expect(claimsAllowMember(decodeClaims(jwt(good)), userId, 'S')).toBe(true);
  });

  it.each([
    ['admin access', { admin_access: true }],
    ['Studio access', { app_access: true }],
    ['two-factor to be set up', { enforce_tfa: true }],
    ['another user', { id: 'someone-else' }],
    ['another session', { session: 'T' }],
    ['no access claims', { app_access: undefined, admin_access: undefined }],
  ])('refuse %s', (_name, change) => {
    expect(claimsAllowMember(decodeClaims(jwt({ ...good, ...change })), userId, 'S')).toBe(false);
  });

  it('refuse a token that cannot be read', () => {
    expect(claimsAllowMember(decodeClaims('not-a-jwt'), userId, 'S')).toBe(false);
    expect(claimsAllowMember(decodeClaims('a.!!!.c'), userId, 'S')).toBe(false);
  });
});

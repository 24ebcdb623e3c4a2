import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAccessToken } from './directus-session';

const signing = { secret: 'a-directus-secret', ttlMs: 86_400_000 };
const claims = { id: 'a0000000-0000-4000-8000-000000000001', role: 'e38c3779-dffb-4cbf-8907-756924cb5123', session: 'S'.repeat(64) };
const now = Date.UTC(2026, 11, 2, 7, 0, 0, 500);

const part = (jwt: string, index: number) =>
  JSON.parse(Buffer.from(jwt.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the access token issue signs', () => {
  const jwt = signAccessToken(signing, claims, now);

  it('is an HS256 JWT signed with Directus’s SECRET', () => {
    const [header, payload, signature] = jwt.split('.');
    expect(part(jwt, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(signature).toBe(createHmac('sha256', signing.secret).update(`${header}.${payload}`).digest('base64url'));
    expect(signature).not.toBe(createHmac('sha256', 'another-secret').update(`${header}.${payload}`).digest('base64url'));
  });

  it('carries the claims refresh() writes in session mode, access always off, for SESSION_COOKIE_TTL', () => {
    expect(part(jwt, 1)).toEqual({
      ...claims,
      app_access: false,
      admin_access: false,
      iat: 1796194800,
      exp: 1796194800 + 86_400,
      iss: 'directus',
    });
  });
});

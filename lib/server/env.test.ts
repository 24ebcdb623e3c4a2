import { describe, expect, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { parseEnv } from './env';

const production = {
  NODE_ENV: 'production',
  APP_URL: 'https://login.example.com',
  DIRECTUS_URL: 'https://cms.example.com',
  DIRECTUS_EXTENSION_KEY: 'k7Qw2Zr9Lp4Xv8Nc3Jd6Hs1Bt5Mf0Gy2',
  PLIVO_AUTH_ID: 'MAREALACCOUNT0000001',
  PLIVO_AUTH_TOKEN: 'plivo-token',
  SESSION_SECRET: 'Zq8v1N3kR7tY2wB6xC9mL4pH5sD0fG1jK3',
  ALLOWED_COUNTRIES: 'GB,IE',
  TRUST_PROXY: '1',
  REDIS_URL: 'rediss://cache.example.com:6380',
};

describe('parseEnv', () => {
  it('uses the local stack with no variables at all outside production', () => {
    const env = parseEnv({});
    expect(env.DIRECTUS_URL).toBe(LOCAL_STACK.directus.url);
    expect(env.PLIVO_API_URL).toBe(LOCAL_STACK.plivo.apiUrl);
    expect(env.plivoEmulated).toBe(true);
    expect(env.SESSION_MAX_AGE_SECONDS).toBe(30 * 86_400);
    expect(env.DIRECTUS_CREDENTIALS).toBe('session');
  });

  it('gives the base URLs without trailing slashes, so that every caller appends a path as it is', () => {
    const env = parseEnv({
      APP_URL: 'https://login.example.com/',
      DIRECTUS_URL: 'https://cms.example.com/directus//',
      PLIVO_API_URL: 'http://127.0.0.1:4010/',
    });
    expect([env.APP_URL, env.DIRECTUS_URL, env.PLIVO_API_URL]).toEqual([
      'https://login.example.com',
      'https://cms.example.com/directus',
      'http://127.0.0.1:4010',
    ]);
  });

  it('talks to the real Plivo once real credentials are given without an API URL', () => {
    const env = parseEnv({ PLIVO_AUTH_ID: 'MAREAL', PLIVO_AUTH_TOKEN: 'x' });
    expect(env.PLIVO_API_URL).toBe('https://api.plivo.com');
    expect(env.plivoEmulated).toBe(false);
  });

  it('accepts a complete production environment', () => {
    const env = parseEnv(production);
    expect(env.NODE_ENV).toBe('production');
    expect(env.plivoEmulated).toBe(false);
  });

  it('names every missing variable in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /APP_URL[\s\S]*DIRECTUS_URL[\s\S]*PLIVO_AUTH_ID[\s\S]*PLIVO_AUTH_TOKEN[\s\S]*SESSION_SECRET[\s\S]*DIRECTUS_EXTENSION_KEY[\s\S]*ALLOWED_COUNTRIES[\s\S]*TRUST_PROXY/,
    );
  });

  it('reads the limits and the country allow-list', () => {
    const env = parseEnv({
      ...production,
      ALLOWED_COUNTRIES: 'GB, IE',
      LIMIT_SMS_PER_HOUR: '50',
      OTP_RESEND_AFTER_SECONDS: '0',
    });
    expect(env.ALLOWED_COUNTRIES).toEqual(['GB', 'IE']);
    expect(env.LIMIT_SMS_PER_HOUR).toBe(50);
    expect(env.OTP_RESEND_AFTER_SECONDS).toBe(0);
    expect(parseEnv({ ...production, ALLOWED_COUNTRIES: '*' }).ALLOWED_COUNTRIES).toBe('*');
    expect(() => parseEnv({ ...production, ALLOWED_COUNTRIES: 'uk' })).toThrow(/ALLOWED_COUNTRIES/);
    expect(() => parseEnv({ ...production, ALLOWED_NUMBER_TYPES: 'MOBILE,SATELLITE' })).toThrow(/ALLOWED_NUMBER_TYPES/);
  });

  it("trusts Vercel's forwarding headers on Vercel only, and a hop count or `direct` when told", () => {
    expect(parseEnv({}).TRUST_PROXY).toBeUndefined();
    expect(parseEnv({ VERCEL: '1' }).TRUST_PROXY).toBe('vercel');
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: 'direct' }).TRUST_PROXY).toBe('direct');
    expect(() => parseEnv({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });

  it("wants the chosen credential strategy's way into Directus, and only that one", () => {
    const withoutKey = { ...production, DIRECTUS_EXTENSION_KEY: '' };
    expect(() => parseEnv(withoutKey)).toThrow(/DIRECTUS_EXTENSION_KEY: required with DIRECTUS_CREDENTIALS=session/);
    expect(() => parseEnv({ ...withoutKey, DIRECTUS_CREDENTIALS: 'static' })).toThrow(
      /DIRECTUS_TOKEN: required with DIRECTUS_CREDENTIALS=static/,
    );
    const roles = LOCAL_STACK.directus.memberRoleId;
    expect(
      parseEnv({
        ...withoutKey,
        DIRECTUS_CREDENTIALS: 'static',
        DIRECTUS_TOKEN: 'service-token',
        DIRECTUS_MEMBER_ROLES: roles,
      }).DIRECTUS_TOKEN,
    ).toBe('service-token');
    expect(() =>
      parseEnv({
        ...production,
        DIRECTUS_EXTENSION_KEY: LOCAL_STACK.directus.signInKey,
      }),
    ).toThrow(/DIRECTUS_EXTENSION_KEY: is the local/);
  });

  it('refuses every country in production with open sign-up, naming ALLOWED_COUNTRIES', () => {
    expect(() => parseEnv({ ...production, SIGN_UP: 'open', ALLOWED_COUNTRIES: '*' })).toThrow(
      /ALLOWED_COUNTRIES: \* is not accepted in production with SIGN_UP=open/,
    );
    expect(parseEnv({ ...production, SIGN_UP: 'open' }).ALLOWED_COUNTRIES).toEqual(['GB', 'IE']);
    expect(parseEnv({ ...production, SIGN_UP: 'closed', ALLOWED_COUNTRIES: '*' }).ALLOWED_COUNTRIES).toBe('*');
  });

  it('validates the bot check and breaker settings', () => {
    expect(() => parseEnv({ BOT_CHECK: 'sometimes' })).toThrow(/BOT_CHECK/);
    expect(() => parseEnv({ BREAKER_MIN_CONVERSION_PERCENT: '120' })).toThrow(/BREAKER_MIN_CONVERSION_PERCENT/);
    expect(() => parseEnv({ ALERT_WEBHOOK_URL: 'ftp://example.com' })).toThrow(/ALERT_WEBHOOK_URL/);
  });

  it('wants the proxy setting made in production, except on Vercel', () => {
    const withoutTrust = { ...production, TRUST_PROXY: '' };
    expect(() => parseEnv(withoutTrust)).toThrow(/TRUST_PROXY: required in production/);
    expect(parseEnv({ ...withoutTrust, VERCEL: '1' }).TRUST_PROXY).toBe('vercel');
  });

  it('wants REDIS_URL in production unless SINGLE_INSTANCE=true says only one instance runs, naming both', () => {
    const withoutRedis = { ...production, REDIS_URL: '' };
    expect(() => parseEnv(withoutRedis)).toThrow(/REDIS_URL: required in production[^\n]*SINGLE_INSTANCE=true/);
    expect(() => parseEnv({ ...withoutRedis, SINGLE_INSTANCE: 'false' })).toThrow(/REDIS_URL: required in production/);
    expect(parseEnv({ ...withoutRedis, SINGLE_INSTANCE: 'true' }).SINGLE_INSTANCE).toBe(true);
    expect(parseEnv(production).SINGLE_INSTANCE).toBe(false);
    expect(() => parseEnv({ ...withoutRedis, SINGLE_INSTANCE: 'yes' })).toThrow(/SINGLE_INSTANCE: /);
    // Outside production one process is what runs: memory is enough.
    expect(parseEnv({}).REDIS_URL).toBeUndefined();
  });

  it('wants REDIS_URL on Vercel, where functions scale out whatever SINGLE_INSTANCE says', () => {
    const onVercel = {
      ...production,
      REDIS_URL: '',
      TRUST_PROXY: '',
      VERCEL: '1',
    };
    expect(() => parseEnv(onVercel)).toThrow(/REDIS_URL: required in production/);
    expect(() => parseEnv({ ...onVercel, SINGLE_INSTANCE: 'true' })).toThrow(/SINGLE_INSTANCE: not accepted on Vercel[^\n]*REDIS_URL/);
    expect(parseEnv({ ...onVercel, REDIS_URL: production.REDIS_URL }).REDIS_URL).toBe(production.REDIS_URL);
  });

  it("reads the code lifetime, at most Plivo's ten minutes", () => {
    expect(parseEnv({}).OTP_EXPIRY_SECONDS).toBe(600);
    expect(parseEnv({ OTP_EXPIRY_SECONDS: '20' }).OTP_EXPIRY_SECONDS).toBe(20);
    expect(() => parseEnv({ OTP_EXPIRY_SECONDS: '900' })).toThrow(/OTP_EXPIRY_SECONDS/);
  });

  it.each([
    ['short', 'too-short'],
    ['the local default', LOCAL_STACK.sessionSecret],
    ['low entropy', 'a'.repeat(40)],
  ])('refuses a %s session secret in production', (_label, secret) => {
    expect(() => parseEnv({ ...production, SESSION_SECRET: secret })).toThrow(/SESSION_SECRET/);
  });

  it('refuses a short previous secret and names it', () => {
    expect(() => parseEnv({ ...production, SESSION_SECRETS_PREVIOUS: 'short' })).toThrow(/SESSION_SECRETS_PREVIOUS/);
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ DIRECTUS_URL: '' }).DIRECTUS_URL).toBe(LOCAL_STACK.directus.url);
  });

  it('names a malformed value', () => {
    expect(() => parseEnv({ DIRECTUS_TIMEOUT_MS: 'soon' })).toThrow(/DIRECTUS_TIMEOUT_MS/);
    expect(() => parseEnv({ DEFAULT_COUNTRY: 'gb' })).toThrow(/DEFAULT_COUNTRY/);
  });

  it('reads the pass-through allow-list, nothing by default, and names a bad rule', () => {
    expect(parseEnv({}).DIRECTUS_PASS_THROUGH).toEqual([]);
    expect(
      parseEnv({
        DIRECTUS_PASS_THROUGH: 'GET /items/news, GET /assets/*',
      }).DIRECTUS_PASS_THROUGH.map((rule) => rule.segments[0]),
    ).toEqual(['items', 'assets']);
    expect(parseEnv({ DIRECTUS_PASS_THROUGH: 'none' }).DIRECTUS_PASS_THROUGH).toEqual([]);
    expect(() => parseEnv({ DIRECTUS_PASS_THROUGH: 'GET /*' })).toThrow(/DIRECTUS_PASS_THROUGH: "GET \/\*": the first segment/);
  });

  it('reads the branding, and names a bad name, logo or colour', () => {
    const defaults = parseEnv({});
    expect([defaults.APP_NAME, defaults.APP_LOGO_URL, defaults.APP_ACCENT_COLOR]).toEqual(['SMS sign-in', undefined, undefined]);
    expect(
      parseEnv({
        APP_NAME: ' Acme Club ',
        APP_LOGO_URL: '/logo.svg',
        APP_ACCENT_COLOR: '#14B',
      }),
    ).toMatchObject({
      APP_NAME: 'Acme Club',
      APP_LOGO_URL: '/logo.svg',
      APP_ACCENT_COLOR: '#1144bb',
    });
    expect(parseEnv({ APP_LOGO_URL: 'https://cdn.example.com/acme.png' }).APP_LOGO_URL).toBe('https://cdn.example.com/acme.png');
    expect(() => parseEnv({ APP_NAME: 'x'.repeat(61) })).toThrow(/APP_NAME: must be at most 60/);
    for (const logo of ['http://cdn.example.com/acme.png', '//cdn.example.com/acme.png', 'javascript:alert(1)', 'logo.svg']) {
      expect(() => parseEnv({ APP_LOGO_URL: logo }), logo).toThrow(/APP_LOGO_URL: must be an https URL or a path/);
    }
    for (const color of ['blue', '#12345', '1d4ed8', '#1d4ed8; background: red', 'rgb(0,0,0)']) {
      expect(() => parseEnv({ APP_ACCENT_COLOR: color }), color).toThrow(/APP_ACCENT_COLOR: must be a CSS hex colour/);
    }
  });

  it('keeps sign-up closed by default, and wants the member role for static sign-up in production', () => {
    expect(parseEnv({}).SIGN_UP).toBe('closed');
    expect(parseEnv({ SIGN_UP: 'open' }).SIGN_UP).toBe('open');
    expect(() => parseEnv({ SIGN_UP: 'yes' })).toThrow(/SIGN_UP: /);
    const staticOpen = {
      ...production,
      DIRECTUS_CREDENTIALS: 'static',
      DIRECTUS_TOKEN: 'service-token',
      DIRECTUS_MEMBER_ROLES: LOCAL_STACK.directus.memberRoleId,
      SIGN_UP: 'open',
    };
    expect(() => parseEnv(staticOpen)).toThrow(/DIRECTUS_MEMBER_ROLE: required with DIRECTUS_CREDENTIALS=static and SIGN_UP=open/);
    expect(() => parseEnv({ ...staticOpen, DIRECTUS_MEMBER_ROLE: 'Member' })).toThrow(/DIRECTUS_MEMBER_ROLE: must be the member role's id/);
    expect(
      parseEnv({
        ...staticOpen,
        DIRECTUS_MEMBER_ROLE: LOCAL_STACK.directus.memberRoleId,
      }).DIRECTUS_MEMBER_ROLE,
    ).toBe(LOCAL_STACK.directus.memberRoleId);
    expect(() =>
      parseEnv({
        ...staticOpen,
        DIRECTUS_MEMBER_ROLE: '7c0d6b52-0b1e-4d8a-9a43-5f0e2c1d9b70',
      }),
    ).toThrow(/DIRECTUS_MEMBER_ROLE: must be one of DIRECTUS_MEMBER_ROLES/);
  });

  it('wants the member roles with static, so that nobody else holding a phone signs in by SMS', () => {
    const staticEnv = {
      ...production,
      DIRECTUS_CREDENTIALS: 'static',
      DIRECTUS_TOKEN: 'service-token',
    };
    expect(() => parseEnv(staticEnv)).toThrow(/DIRECTUS_MEMBER_ROLES: required with DIRECTUS_CREDENTIALS=static/);
    expect(() => parseEnv({ ...staticEnv, DIRECTUS_MEMBER_ROLES: 'Member' })).toThrow(/DIRECTUS_MEMBER_ROLES.0: must list role ids/);
    const other = '7C0D6B52-0B1E-4D8A-9A43-5F0E2C1D9B70';
    const env = parseEnv({
      ...staticEnv,
      DIRECTUS_MEMBER_ROLES: `${LOCAL_STACK.directus.memberRoleId}, ${other}`,
    });
    expect([...env.DIRECTUS_MEMBER_ROLES!]).toEqual([LOCAL_STACK.directus.memberRoleId, other.toLowerCase()]);
    expect(parseEnv({ DIRECTUS_CREDENTIALS: 'static' }).DIRECTUS_MEMBER_ROLES).toEqual(new Set([LOCAL_STACK.directus.memberRoleId]));
  });
});

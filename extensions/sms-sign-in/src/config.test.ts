import { describe, expect, it } from 'vitest';
import { durationMs, readConfig } from './config';

const role = 'e38c3779-dffb-4cbf-8907-756924cb5123';
const good = {
  SMS_SIGN_IN_APP_KEY: 'a-key-of-at-least-thirty-two-chars-000',
  SMS_SIGN_IN_MEMBER_ROLES: role,
  SMS_SIGN_IN_PLIVO_AUTH_ID: 'MAXXXXXXXXXXXXXXXXXX',
  SMS_SIGN_IN_PLIVO_AUTH_TOKEN: 'token',
  SMS_SIGN_IN_PLIVO_APP_UUID: '00000000-0000-4000-8000-00000000a991',
  SESSION_COOKIE_TTL: '1d',
  SECRET: 'a-directus-secret',
  DB_CLIENT: 'sqlite3',
};

function problems(env: Record<string, unknown>): string[] {
  const result = readConfig(env);
  return result.ok ? [] : result.problems;
}

describe('readConfig', () => {
  it('reads a complete configuration with the defaults', () => {
    const result = readConfig(good);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toEqual({
      appKey: good.SMS_SIGN_IN_APP_KEY,
      previousAppKey: null,
      memberRoles: new Set([role]),
      signUpRole: null,
      plivo: {
        apiUrl: 'https://api.plivo.com',
        authId: 'MAXXXXXXXXXXXXXXXXXX',
        authToken: 'token',
        appUuid: '00000000-0000-4000-8000-00000000a991',
        timeoutMs: 5000,
      },
      codeLifetimeSeconds: 600,
      session: { secret: 'a-directus-secret', ttlMs: 86_400_000 },
      testPhones: new Set(),
      passkeys: { state: 'off' },
    });
  });

  it('reads the previous app key of a rotation, which must be a key of its own', () => {
    const previous = 'the-key-being-replaced-of-32-chars-or-more';
    const result = readConfig({ ...good, SMS_SIGN_IN_APP_KEY_PREVIOUS: previous });
    expect(result.ok && result.config.previousAppKey).toBe(previous);
    expect(problems({ ...good, SMS_SIGN_IN_APP_KEY_PREVIOUS: 'short' })).toEqual([
      'SMS_SIGN_IN_APP_KEY_PREVIOUS must be at least 32 characters',
    ]);
    expect(problems({ ...good, SMS_SIGN_IN_APP_KEY_PREVIOUS: good.SMS_SIGN_IN_APP_KEY })).toEqual([
      'SMS_SIGN_IN_APP_KEY_PREVIOUS is the same as SMS_SIGN_IN_APP_KEY: set it to the key being replaced, or unset it',
    ]);
    expect(problems({ ...good, SMS_SIGN_IN_APP_KEY_PREVIOUS: 12345678901234567890123456789012345 })).toEqual([
      'SMS_SIGN_IN_APP_KEY_PREVIOUS was read as a number, list or JSON by Directus; write it as string:<key>',
    ]);
  });

  it('takes a sign-up role only from among the member roles', () => {
    const result = readConfig({ ...good, SMS_SIGN_IN_SIGN_UP_ROLE: role.toUpperCase() });
    expect(result.ok && result.config.signUpRole).toBe(role);
    expect(problems({ ...good, SMS_SIGN_IN_SIGN_UP_ROLE: '7c0d6b52-0b1e-4d8a-9a43-5f0e2c1d9b70' })).toEqual([
      'SMS_SIGN_IN_SIGN_UP_ROLE: "7c0d6b52-0b1e-4d8a-9a43-5f0e2c1d9b70" must be one of SMS_SIGN_IN_MEMBER_ROLES',
    ]);
  });

  it('accepts the forms Directus casts env values to (numbers, lists)', () => {
    const other = '7c0d6b52-0b1e-4d8a-9a43-5f0e2c1d9b70';
    const result = readConfig({
      ...good,
      SMS_SIGN_IN_MEMBER_ROLES: [role, other.toUpperCase()],
      SMS_SIGN_IN_CODE_LIFETIME_SECONDS: 300,
      SMS_SIGN_IN_PLIVO_API_URL: 'http://127.0.0.1:4010/',
    });
    expect(result.ok && [...result.config.memberRoles]).toEqual([role, other]);
    expect(result.ok && result.config.codeLifetimeSeconds).toBe(300);
    expect(result.ok && result.config.plivo?.apiUrl).toBe('http://127.0.0.1:4010');
  });

  it('names the variable for each problem', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^SMS_SIGN_IN_APP_KEY is not set/),
      expect.stringMatching(/^SMS_SIGN_IN_MEMBER_ROLES must list/),
      expect.stringMatching(/^SMS_SIGN_IN_PLIVO_AUTH_ID is required/),
      expect.stringMatching(/^SMS_SIGN_IN_PLIVO_AUTH_TOKEN is required/),
      expect.stringMatching(/^SMS_SIGN_IN_PLIVO_APP_UUID is required/),
      expect.stringMatching(/^SECRET is not set/),
      expect.stringMatching(/^DB_CLIENT is not set/),
    ]);
    expect(problems({ ...good, SMS_SIGN_IN_APP_KEY: 'short' })).toEqual([
      expect.stringMatching(/^SMS_SIGN_IN_APP_KEY must be at least 32/),
    ]);
    expect(problems({ ...good, SMS_SIGN_IN_APP_KEY: 12345678901234567890123456789012345 })).toEqual([
      expect.stringMatching(/string:<key>/),
    ]);
    expect(problems({ ...good, SMS_SIGN_IN_MEMBER_ROLES: 'Member' })).toEqual([
      expect.stringMatching(/^SMS_SIGN_IN_MEMBER_ROLES: "member" is not a role id/),
    ]);
    expect(problems({ ...good, SMS_SIGN_IN_CODE_LIFETIME_SECONDS: 7200 })).toEqual([
      expect.stringMatching(/^SMS_SIGN_IN_CODE_LIFETIME_SECONDS must be a whole number from 30 to 3600/),
    ]);
    expect(problems({ ...good, SMS_SIGN_IN_PLIVO_PROOF: true })).toEqual([expect.stringMatching(/^SMS_SIGN_IN_PLIVO_PROOF must be "on"/)]);
    expect(problems({ ...good, SMS_SIGN_IN_PLIVO_API_URL: 'api.plivo.com' })).toEqual([
      expect.stringMatching(/^SMS_SIGN_IN_PLIVO_API_URL/),
    ]);
    expect(problems({ ...good, SESSION_COOKIE_TTL: '1 day' })).toEqual(['SESSION_COOKIE_TTL must be a duration such as 1d, 12h or 30m']);
  });

  it('runs on SQLite, PostgreSQL and MySQL/MariaDB, and refuses any other DB_CLIENT by name', () => {
    for (const client of ['sqlite3', 'pg', 'mysql']) expect(problems({ ...good, DB_CLIENT: client })).toEqual([]);
    for (const client of ['mssql', 'oracledb', 'cockroachdb', 'redshift', 'postgres']) {
      expect(problems({ ...good, DB_CLIENT: client })).toEqual([
        `DB_CLIENT "${client}" is a database sms-sign-in does not support: it runs on sqlite3, pg and mysql (SQLite, PostgreSQL, MySQL/MariaDB)`,
      ]);
    }
  });

  it("takes Directus's default session lifetime when SESSION_COOKIE_TTL is not set", () => {
    const result = readConfig({ ...good, SESSION_COOKIE_TTL: undefined });
    expect(result.ok && result.config.session.ttlMs).toBe(86_400_000);
  });

  it("reads the app's test numbers, as a list Directus may have cast, and names a bad one", () => {
    const result = readConfig({ ...good, SMS_SIGN_IN_TEST_PHONE_NUMBERS: ['+447400123456', 12025550123] });
    expect(result.ok && [...result.config.testPhones]).toEqual(['+447400123456', '+12025550123']);
    const one = readConfig({ ...good, SMS_SIGN_IN_TEST_PHONE_NUMBERS: 447400123456 });
    expect(one.ok && [...one.config.testPhones]).toEqual(['+447400123456']);
    expect(problems({ ...good, SMS_SIGN_IN_TEST_PHONE_NUMBERS: '07400123456' })).toEqual([
      'SMS_SIGN_IN_TEST_PHONE_NUMBERS must list E.164 numbers (+ and digits), comma-separated',
    ]);
  });

  it('needs no Plivo settings only when the proof is turned off explicitly', () => {
    const { SMS_SIGN_IN_APP_KEY, SMS_SIGN_IN_MEMBER_ROLES } = good;
    const result = readConfig({
      SMS_SIGN_IN_APP_KEY,
      SMS_SIGN_IN_MEMBER_ROLES,
      SECRET: good.SECRET,
      DB_CLIENT: good.DB_CLIENT,
      SMS_SIGN_IN_PLIVO_PROOF: 'OFF',
    });
    expect(result.ok && result.config.plivo).toBeNull();
  });
});

describe('durationMs', () => {
  it.each([
    ['1d', 86_400_000],
    ['15m', 900_000],
    ['10s', 10_000],
    [900000, 900_000],
    ['2500', 2500],
  ])('reads %j', (value, ms) => {
    expect(durationMs(value)).toBe(ms);
  });

  it.each(['1 day', '', undefined, -5])('gives up on %j', (value) => {
    expect(durationMs(value)).toBeNull();
  });

  it('turns passkeys on with a relying party and its origins, and keeps their problems apart', () => {
    const on = readConfig({
      ...good,
      SMS_SIGN_IN_PASSKEY_RP_ID: 'Example.com',
      SMS_SIGN_IN_PASSKEY_ORIGINS: 'https://app.example.com,https://example.com/',
    });
    expect(on.ok && on.config.passkeys).toEqual({
      state: 'on',
      settings: {
        rpId: 'example.com',
        rpName: 'example.com',
        origins: ['https://app.example.com', 'https://example.com'],
        recentSignInSeconds: 600,
      },
    });
    const bad = readConfig({
      ...good,
      SMS_SIGN_IN_PASSKEY_RP_ID: 'example.com',
      SMS_SIGN_IN_PASSKEY_ORIGINS: 'https://evil.com,http://app.example.com,https://example.com/path',
      SMS_SIGN_IN_PASSKEY_RECENT_SIGN_IN_SECONDS: '5',
    });
    expect(bad.ok).toBe(true);
    expect(bad.ok && bad.config.passkeys).toEqual({
      state: 'invalid',
      problems: [
        'SMS_SIGN_IN_PASSKEY_ORIGINS: "https://evil.com" is not on SMS_SIGN_IN_PASSKEY_RP_ID (example.com) or a subdomain of it',
        'SMS_SIGN_IN_PASSKEY_ORIGINS: "http://app.example.com" must be https (browsers allow passkeys over http only on localhost)',
        'SMS_SIGN_IN_PASSKEY_ORIGINS: "https://example.com/path" is not an origin (scheme://host[:port], nothing after it)',
        'SMS_SIGN_IN_PASSKEY_RECENT_SIGN_IN_SECONDS must be a whole number from 60 to 3600 (got "5")',
      ],
    });
    const originsOnly = readConfig({ ...good, SMS_SIGN_IN_PASSKEY_ORIGINS: 'http://localhost:3000' });
    expect(originsOnly.ok && originsOnly.config.passkeys.state).toBe('invalid');
    const local = readConfig({ ...good, SMS_SIGN_IN_PASSKEY_RP_ID: 'localhost', SMS_SIGN_IN_PASSKEY_ORIGINS: 'http://localhost:3000' });
    expect(local.ok && local.config.passkeys.state).toBe('on');
  });
});

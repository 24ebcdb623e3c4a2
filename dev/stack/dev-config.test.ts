import { describe, expect, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { checkDevConfig, DevConfigError } from './dev-config';

function problems(source: Record<string, string>): string[] {
  try {
    checkDevConfig(source);
    return [];
  } catch (error) {
    if (error instanceof DevConfigError) return error.problems;
    throw error;
  }
}

describe('checkDevConfig', () => {
  it('fills in the local stack on its usual ports with no variables at all', () => {
    expect(checkDevConfig({})).toEqual({
      ports: { app: 3000, directus: 8055, emulator: 4010 },
      localDirectus: true,
      localPlivo: true,
      appEnv: {
        APP_URL: 'http://localhost:3000',
        DIRECTUS_URL: LOCAL_STACK.directus.url,
        DIRECTUS_PASS_THROUGH: LOCAL_STACK.passThrough,
        PLIVO_API_URL: LOCAL_STACK.plivo.apiUrl,
      },
      directusEnv: { SMS_SIGN_IN_PASSKEY_RP_ID: 'localhost', SMS_SIGN_IN_PASSKEY_ORIGINS: 'http://localhost:3000' },
    });
  });

  it("gives the local Directus's passkeys the app's origin, where a browser allows them", () => {
    expect(checkDevConfig({ PORT: '3600' }).directusEnv).toEqual({
      SMS_SIGN_IN_PASSKEY_RP_ID: 'localhost',
      SMS_SIGN_IN_PASSKEY_ORIGINS: 'http://localhost:3600',
    });
    expect(checkDevConfig({ APP_URL: 'https://app.example.test' }).directusEnv).toEqual({
      SMS_SIGN_IN_PASSKEY_RP_ID: 'app.example.test',
      SMS_SIGN_IN_PASSKEY_ORIGINS: 'https://app.example.test',
    });
    // Browsers refuse passkeys on an IP address and on plain http beyond localhost: passkeys stay off.
    expect(checkDevConfig({ APP_URL: 'http://127.0.0.1:3000' }).directusEnv).toEqual({});
    expect(checkDevConfig({ APP_URL: 'http://lan-box:3000' }).directusEnv).toEqual({});
  });

  it('moves every service and the URLs the app gets with the port settings', () => {
    const config = checkDevConfig({ PORT: '3600', DEV_DIRECTUS_PORT: '8600', DEV_PLIVO_EMULATOR_PORT: '4600' });
    expect(config.ports).toEqual({ app: 3600, directus: 8600, emulator: 4600 });
    expect(config.appEnv).toEqual({
      APP_URL: 'http://localhost:3600',
      DIRECTUS_URL: 'http://127.0.0.1:8600',
      DIRECTUS_PASS_THROUGH: LOCAL_STACK.passThrough,
      PLIVO_API_URL: 'http://127.0.0.1:4600',
    });
  });

  it('uses a configured Directus and the real Plivo instead of starting the local ones', () => {
    const config = checkDevConfig({ DIRECTUS_URL: 'https://cms.example.com', PLIVO_AUTH_ID: 'MAREAL', PLIVO_AUTH_TOKEN: 'x' });
    expect([config.localDirectus, config.localPlivo]).toEqual([false, false]);
    expect(config.appEnv).toEqual({ APP_URL: 'http://localhost:3000' });
  });

  it("names each bad variable with the app's own validation, and each bad port", () => {
    expect(problems({ PORT: 'abc', DEV_DIRECTUS_PORT: '70000', SESSION_SECRET: 'short', OTP_CODE_LENGTH: '9', SIGN_UP: 'maybe' })).toEqual([
      'PORT: must be a port number from 1 to 65535 (got "abc")',
      'DEV_DIRECTUS_PORT: must be a port number from 1 to 65535 (got "70000")',
      expect.stringMatching(/^SIGN_UP: /),
      expect.stringMatching(/^SESSION_SECRET: must be at least 32 characters/),
      expect.stringMatching(/^OTP_CODE_LENGTH: /),
    ]);
  });

  it('checks as the app runs under next dev, whatever NODE_ENV the shell has', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([]);
  });
});

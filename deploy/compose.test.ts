// Keeps deploy/compose.yaml and docs/settings.md true without a Docker engine: every variable they
// name is one the app's env schema or the extension's configuration reads (or Directus's or the
// database's own), the compose's app settings boot a production app, its Directus settings
// configure the extension, and each pair that must agree comes from one value.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { readConfig } from '@/extensions/sms-sign-in/src/config';
import { parseEnv } from '@/lib/server/env';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const compose = read('deploy/compose.yaml');
const settingsDoc = read('docs/settings.md');

/** Each service's `environment:` block (the compose file's own plain layout: two-space indents, `NAME: value`). */
function environments(yaml: string): Record<string, Record<string, string>> {
  const services: Record<string, Record<string, string>> = {};
  let service: string | undefined;
  let inEnvironment = false;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) service = undefined;
    const serviceName = /^ {2}([a-z][\w-]*):\s*$/.exec(line)?.[1];
    if (serviceName) {
      service = serviceName;
      inEnvironment = false;
      continue;
    }
    if (/^ {4}\S/.test(line)) inEnvironment = line.trim() === 'environment:';
    const entry = /^ {6}([A-Z][A-Z0-9_]*):\s*(.*)$/.exec(line);
    if (service && inEnvironment && entry) (services[service] ??= {})[entry[1]!] = entry[2]!.replace(/^"(.*)"$/, '$1');
  }
  return services;
}

// deploy/.env as a site owner would fill it in.
const SAMPLE: Record<string, string> = {
  DB_PASSWORD: 'a-database-password',
  DIRECTUS_PUBLIC_URL: 'https://cms.example.com',
  DIRECTUS_SECRET: 'a-directus-secret-of-enough-length-0123456789',
  DIRECTUS_ADMIN_EMAIL: 'admin@example.com',
  DIRECTUS_ADMIN_PASSWORD: 'an-admin-password',
  APP_KEY: 'Xq3v9Lk2Pz8Rt5Wm1Nb7Hc4Jd6Fg0Sa2Ye8Uo3Ii5',
  MEMBER_ROLE_IDS: 'e38c3779-dffb-4cbf-8907-756924cb5123',
  PLIVO_AUTH_ID: 'MAREALACCOUNT0000001',
  PLIVO_AUTH_TOKEN: 'a-plivo-auth-token',
  PLIVO_APP_UUID: '5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90',
  APP_URL: 'https://members.example.com',
  SESSION_SECRET: 'Rk7Tq2Vw9Zx4Cb6Nm1Lp3Hs8Jd5Fg0Aa2Ee4Ii6Oo8',
  ALLOWED_COUNTRIES: 'GB,IE',
};

/** The value docker compose gives `${NAME:?}` / `${NAME:-default}` from deploy/.env (SAMPLE). */
const interpolate = (value: string) =>
  value.replace(/\$\{([A-Z][A-Z0-9_]*)(?::([?-])([^}]*))?\}/g, (_match, name: string, kind?: string, fallback = '') => {
    if (SAMPLE[name] !== undefined) return SAMPLE[name]!;
    if (kind === '?') throw new Error(`the sample deploy/.env lacks the required ${name}`);
    return fallback;
  });
const withValues = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).map(([name, value]) => [name, interpolate(value)]));

/** The names in an env schema's source (each `NAME:` key) or a configuration's (each name it mentions). */
const namesIn = (source: string, pattern: RegExp) => new Set([...source.matchAll(pattern)].map((match) => match[1]!));
const appNames = namesIn(read('lib/server/env.ts'), /^ {2}([A-Z][A-Z0-9_]*):/gm);
const extensionNames = namesIn(read('extensions/sms-sign-in/src/config.ts'), /\b((?:SMS_SIGN_IN|DB|SESSION)_[A-Z0-9_]+|SECRET)\b/g);
/** What Directus itself, PostgreSQL's image and Node's server read: not this repository's to check. */
const OWN_SETTINGS = {
  directus: ['PUBLIC_URL', 'DB_HOST', 'DB_PORT', 'DB_DATABASE', 'DB_USER', 'DB_PASSWORD', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'],
  postgres: ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD'],
  app: ['HOSTNAME', 'PORT'],
};

const services = environments(compose);

describe('deploy/compose.yaml', () => {
  it('has PostgreSQL, Redis, Directus and the app', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'directus', 'postgres']);
    expect(compose).toMatch(/^ {2}redis:$/m);
  });

  it("names only the app's settings for the app, and they boot a production app", () => {
    const env = services.app!;
    for (const name of Object.keys(env)) expect(appNames.has(name) || OWN_SETTINGS.app.includes(name), name).toBe(true);
    const parsed = parseEnv(withValues(env));
    for (const name of Object.keys(env).filter((name) => appNames.has(name) && interpolate(env[name]!) !== ''))
      expect(parsed, name).toHaveProperty(name);
    expect(parsed.DIRECTUS_CREDENTIALS).toBe('session');
  });

  it("names only the extension's and Directus's own settings for Directus, and they configure the extension", () => {
    const env = services.directus!;
    for (const name of Object.keys(env)) expect(extensionNames.has(name) || OWN_SETTINGS.directus.includes(name), name).toBe(true);
    const values = withValues(env);
    const result = readConfig(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '')));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('takes each pair that must agree from one value', () => {
    const { app, directus } = services as Record<string, Record<string, string>>;
    const pairs: [string, string][] = [
      ['DIRECTUS_EXTENSION_KEY', 'SMS_SIGN_IN_APP_KEY'],
      ['PLIVO_AUTH_ID', 'SMS_SIGN_IN_PLIVO_AUTH_ID'],
      ['PLIVO_AUTH_TOKEN', 'SMS_SIGN_IN_PLIVO_AUTH_TOKEN'],
      ['PLIVO_APP_UUID', 'SMS_SIGN_IN_PLIVO_APP_UUID'],
      ['OTP_EXPIRY_SECONDS', 'SMS_SIGN_IN_CODE_LIFETIME_SECONDS'],
    ];
    for (const [appName, directusName] of pairs) expect(app![appName], `${appName} and ${directusName}`).toBe(directus![directusName]);
    expect(directus!.DB_PASSWORD).toBe(services.postgres!.POSTGRES_PASSWORD);
  });
});

describe('docs/settings.md', () => {
  const documented = namesIn(settingsDoc, /`([A-Z][A-Z0-9_]{2,})(?:=[^`]*)?`/g);
  const composeValues = namesIn(compose, /\$\{([A-Z][A-Z0-9_]*)/g);

  it('names only settings that exist: the app, the extension, Directus or the compose file reads them', () => {
    const known = new Set([...appNames, ...extensionNames, ...OWN_SETTINGS.directus, ...composeValues]);
    expect([...documented].filter((name) => !known.has(name))).toEqual([]);
  });

  it("lists every value of the compose file's deploy/.env, and every setting the extension reads", () => {
    expect([...composeValues].filter((name) => !documented.has(name))).toEqual([]);
    expect([...extensionNames].filter((name) => name.startsWith('SMS_SIGN_IN_') && !documented.has(name))).toEqual([]);
  });
});

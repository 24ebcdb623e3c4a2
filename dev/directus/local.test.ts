import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_STACK } from '../../lib/local-stack';
import { directusEnv } from './data-dir';
import { formatLogLine } from './process';
import { childEnv } from './child';
import { cacheRoot, DIRECTUS_VERSION, installDirFor } from './install';

describe('the install tree', () => {
  const lock = JSON.parse(readFileSync(new URL('./install-tree/package-lock.json', import.meta.url), 'utf8')) as {
    packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
  };

  it('locks the Directus its package.json names, with the API that @directus/extensions-sdk 18.0.4 matches', () => {
    expect(DIRECTUS_VERSION).toBe('12.3.1');
    expect(lock.packages['']?.dependencies).toEqual({ directus: DIRECTUS_VERSION });
    expect(lock.packages['node_modules/directus']?.version).toBe(DIRECTUS_VERSION);
    expect(lock.packages['node_modules/@directus/api']?.version).toBe('39.1.0');
  });
});

describe('install cache location', () => {
  const saved = process.env.XDG_CACHE_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it('is keyed by Directus and Node version under XDG_CACHE_HOME', () => {
    process.env.XDG_CACHE_HOME = '/tmp/cache-x';
    expect(cacheRoot()).toBe('/tmp/cache-x/directus-sms-sign-in');
    expect(installDirFor('v22.23.3')).toBe('/tmp/cache-x/directus-sms-sign-in/directus-12.3.1-node-v22.23.3');
    expect(installDirFor()).toContain(`-node-${process.version}`);
  });

  it('runs children with this Node first on PATH and without the parent npm config', () => {
    process.env.npm_config_nodedir = '/usr';
    try {
      const env = childEnv({ X: '1' });
      expect(env.PATH?.split(':')[0]).toBe(process.execPath.replace(/\/node$/, ''));
      expect(env.npm_config_nodedir).toBeUndefined();
      expect(env.X).toBe('1');
    } finally {
      delete process.env.npm_config_nodedir;
    }
  });
});

describe('directusEnv', () => {
  it('binds to 127.0.0.1 with SQLite in the data dir and the local defaults', () => {
    const env = directusEnv(8155, '/data', 's'.repeat(43));
    expect(env).toMatchObject({
      HOST: '127.0.0.1',
      PORT: '8155',
      PUBLIC_URL: 'http://127.0.0.1:8155',
      DB_CLIENT: 'sqlite3',
      DB_FILENAME: '/data/data.db',
      ADMIN_EMAIL: LOCAL_STACK.directus.adminEmail,
      ADMIN_TOKEN: LOCAL_STACK.directus.adminToken,
      PROJECT_OWNER_ENABLED: 'false',
      TELEMETRY: 'false',
    });
  });

  it("runs on a database server's DB_* settings instead, with no SQLite file", () => {
    const env = directusEnv(
      8155,
      '/data',
      'x',
      {},
      { DB_CLIENT: 'pg', DB_HOST: '127.0.0.1', DB_PORT: '5440', DB_DATABASE: 'directus_8155', DB_USER: 'postgres' },
    );
    expect(env).toMatchObject({
      DB_CLIENT: 'pg',
      DB_HOST: '127.0.0.1',
      DB_PORT: '5440',
      DB_DATABASE: 'directus_8155',
      DB_USER: 'postgres',
    });
    expect(env.DB_FILENAME).toBeUndefined();
  });

  it("leaves Directus' own rate limiter and SSRF settings at their defaults", () => {
    const keys = Object.keys(directusEnv(8055, '/d', 'x'));
    expect(keys.filter((k) => /RATE_LIMITER|IMPORT_IP_DENY_LIST|PRESSURE_LIMITER|IP_TRUST_PROXY/.test(k))).toEqual([]);
  });

  it('accepts extra env (e.g. an extensions path)', () => {
    expect(directusEnv(8055, '/d', 'x', { EXTENSIONS_PATH: '/ext' }).EXTENSIONS_PATH).toBe('/ext');
  });
});

describe('formatLogLine', () => {
  it('prints JSON log lines as level: message', () => {
    expect(formatLogLine('{"level":50,"time":1,"msg":"boom","err":{"message":"disk full"}}')).toBe('error: boom (disk full)');
    expect(formatLogLine('{"level":40,"msg":"careful"}')).toBe('warn: careful');
    expect(formatLogLine('plain text')).toBe('plain text');
  });
  it('drops known harmless noise', () => {
    expect(formatLogLine('{"level":40,"msg":"Spatialite isn\'t installed. Geometry type support will be limited."}')).toBeNull();
  });
});

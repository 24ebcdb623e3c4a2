import { describe, expect, it } from 'vitest';

import { databaseAdmin, testDatabaseClient } from './database-server';

describe('testDatabaseClient', () => {
  it('is SQLite unless TEST_DATABASE names PostgreSQL or MariaDB', () => {
    expect(testDatabaseClient({})).toBe('sqlite3');
    expect(testDatabaseClient({ TEST_DATABASE: '' })).toBe('sqlite3');
    expect(testDatabaseClient({ TEST_DATABASE: 'pg' })).toBe('pg');
    expect(testDatabaseClient({ TEST_DATABASE: 'mysql' })).toBe('mysql');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => testDatabaseClient({ TEST_DATABASE: 'postgres' })).toThrow(
      'TEST_DATABASE must be one of sqlite3, pg, mysql (got "postgres")',
    );
  });
});

describe('databaseAdmin', () => {
  it("gives Directus the server's DB_* settings for one database", () => {
    expect(databaseAdmin({ client: 'pg', port: 5440, dataDir: '/d' }).directusEnv('directus_8155')).toEqual({
      DB_CLIENT: 'pg',
      DB_HOST: '127.0.0.1',
      DB_PORT: '5440',
      DB_DATABASE: 'directus_8155',
      DB_USER: 'postgres',
      DB_PASSWORD: 'unused-trust-auth',
    });
    expect(databaseAdmin({ client: 'mysql', port: 3316, dataDir: '/d' }).directusEnv('directus_8155')).toMatchObject({
      DB_CLIENT: 'mysql',
      DB_PORT: '3316',
      DB_USER: 'directus',
    });
  });

  it('splices only names of its own into SQL', () => {
    expect(() => databaseAdmin({ client: 'pg', port: 5440, dataDir: '/d' }).directusEnv('x"; DROP DATABASE postgres; --')).toThrow(
      'not a database name of ours',
    );
  });
});

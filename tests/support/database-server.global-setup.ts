// The extension suite's global setup: the PostgreSQL or MariaDB server TEST_DATABASE names, started
// once for all its files (each file's Directus gets a fresh database of its own), stopped at the end.
import type { TestProject } from 'vitest/node';

import { startTestDatabaseServer, type DatabaseServerInfo } from '../../dev/stack/database-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** null: the tests' Directus runs on SQLite. */
    databaseServer: DatabaseServerInfo | null;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestDatabaseServer();
  project.provide('databaseServer', server?.info ?? null);
  return () => server?.stop();
}

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('./', import.meta.url)) };
// The extension suite's runs on PostgreSQL and MariaDB (TEST_DATABASE) leave out its configuration
// and key-rotation files: two or three Directus starts each, and nothing they check reaches the database.
const onDatabaseServer = !!process.env.TEST_DATABASE && process.env.TEST_DATABASE !== 'sqlite3';

// Two layers: `unit` is hermetic (no process outside the test's own), `integration`
// talks to the real local stack (Directus, the Plivo emulator, the built app).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'e2e/**', '.next/**', '.local/**'],
          setupFiles: ['./vitest.setup.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          environment: 'node',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', 'e2e/**', '.next/**', '.local/**', 'extensions/**'],
          setupFiles: ['./vitest.setup.ts'],
          globalSetup: ['./tests/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        // The Directus extension against a real Directus and the emulator, which each file starts
        // itself: no app build and no shared stack needed (only the database server TEST_DATABASE
        // names, if any, shared by the files).
        resolve: { alias },
        test: {
          name: 'extension',
          environment: 'node',
          include: ['extensions/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', ...(onDatabaseServer ? ['**/configuration.int.test.ts', '**/key-rotation.int.test.ts'] : [])],
          globalSetup: ['./tests/support/database-server.global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

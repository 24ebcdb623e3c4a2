import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('./', import.meta.url)) };
// The extension suite's runs on PostgreSQL and MariaDB (TEST_DATABASE) leave out its configuration
// and key-rotation files: two or three Directus starts each, and nothing they check reaches the database.
const onDatabaseServer = !!process.env.TEST_DATABASE && process.env.TEST_DATABASE !== 'sqlite3';
// The integration files that mostly wait (emulated calls and deliveries, `npm run dev` in a terminal,
// sessions that expire): `npm test` (dev/stack/test-layers.ts) runs them beside the others, each
// part on a stack of its own. TEST_INTEGRATION_PART=waiting runs only these, =others the rest.
// The local Directus's own file goes with them, so that the two parts' lanes end at about the same
// time (docs/testing.md).
const waitingIntegrationFiles = [
  'tests/integration/delivery-status.int.test.ts',
  'dev/stack/dev.int.test.ts',
  'tests/integration/sessions.int.test.ts',
  'tests/integration/test-numbers.int.test.ts',
  'dev/directus/local-directus.int.test.ts',
];
const integrationPart = process.env.TEST_INTEGRATION_PART;
if (integrationPart && !['waiting', 'others'].includes(integrationPart)) {
  throw new Error(`TEST_INTEGRATION_PART is "waiting" or "others", not "${integrationPart}"`);
}

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
          include: integrationPart === 'waiting' ? waitingIntegrationFiles : ['**/*.int.test.ts'],
          exclude: [
            'node_modules/**',
            'e2e/**',
            '.next/**',
            '.local/**',
            'extensions/**',
            ...(integrationPart === 'others' ? waitingIntegrationFiles : []),
          ],
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

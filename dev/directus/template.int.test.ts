// The template database (template.ts) when two Directus starts in one process need it at once, as
// the browser tests' stacks (one per worker, e2e/global-setup.ts) do on a fresh checkout.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

import { TEST_PORTS } from '../stack/test-ports';
import { prepareDataDir } from './data-dir';
import { ensureDirectusInstalled } from './install';
import { newBootstrappedDatabase } from './template';

const templates = join(import.meta.dirname, '..', '..', '.local', 'directus', 'templates');
// An admin account of its own makes a template of its own (its name hashes what bootstrap writes),
// so none exists yet, whatever earlier runs left.
const ADMIN_EMAIL = `template-${randomBytes(6).toString('hex')}@example.com`;
const dataDirs: string[] = [];
const before = existsSync(templates) ? new Set(await readdir(templates)) : new Set<string>();
const newTemplateFiles = async () => (await readdir(templates)).filter((file) => !before.has(file));

afterAll(async () => {
  await Promise.all(
    [...dataDirs, ...(existsSync(templates) ? (await newTemplateFiles()).map((file) => join(templates, file)) : [])].map((path) =>
      rm(path, { recursive: true, force: true }),
    ),
  );
});

it('two new databases at once in one process, with no template yet: both bootstrapped, one template', async () => {
  const installDir = await ensureDirectusInstalled(() => undefined);
  const starts = [TEST_PORTS.directus + 40, TEST_PORTS.directus + 41].map(async (port) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'directus-template-int-'));
    dataDirs.push(dataDir);
    const { env } = await prepareDataDir({
      port,
      dataDir,
      plivoApiUrl: `http://127.0.0.1:${TEST_PORTS.emulator}`,
      env: { ADMIN_EMAIL },
      log: () => undefined,
    });
    await newBootstrappedDatabase({ installDir, dataDir, env, log: () => undefined, databaseName: `directus_${port}` });
    return env.DB_FILENAME!;
  });
  const databases = await Promise.all(starts);
  expect(databases.filter((file) => existsSync(file))).toHaveLength(2);
  expect(await newTemplateFiles(), 'the new template, and no partial one left').toHaveLength(1);
}, 300_000);

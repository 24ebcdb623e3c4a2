import { join } from 'node:path';

import { holdNextDevLock } from '../dev/stack/next-dev-lock';
import { startService, type Service } from '../dev/stack/service';
import { waitForHttp } from '../dev/stack/wait';
import { TEST_PORTS } from '../dev/stack/test-ports';
import { expectNoAxeViolations } from './axe';
import { emulator, expect, stack, test } from './fixtures';

// The developer inbox exists only outside production builds, so this spec runs `next dev` against
// the stack's emulator, in an output folder of its own (NEXT_DIST_DIR, next.config.mjs): neither
// the production build nor the developer's `npm run dev` cache is touched.
const port = TEST_PORTS.app + 17;
let next: Service | undefined;
let releaseNextDev: (() => void) | undefined;
test.use({ baseURL: `http://127.0.0.1:${port}` });

test.beforeAll(async () => {
  // The integration layer's `npm run dev` test may hold `next dev` for a while (next-dev-lock.ts).
  test.setTimeout(600_000);
  releaseNextDev = await holdNextDevLock(300_000);
  next = startService('next-dev', process.execPath, [join('node_modules', 'next', 'dist', 'bin', 'next'), 'dev', '--port', String(port)], {
    // Not the test runner's react-server condition: `next dev` sets up its own.
    env: {
      NODE_ENV: 'development',
      NODE_OPTIONS: '',
      NEXT_DIST_DIR: join('.next', 'e2e-dev-inbox'),
      PLIVO_API_URL: stack.emulatorUrl,
      DIRECTUS_URL: stack.directusUrl,
    },
    quiet: true,
  });
  // The first request compiles the page; later ones answer at once.
  await waitForHttp(`http://127.0.0.1:${port}/dev/inbox`, { timeoutMs: 280_000, service: next });
});
test.afterAll(async () => {
  await next?.stop();
  releaseNextDev?.();
});

test('the developer inbox, with a code in it, passes axe in both schemes', async ({ login, page }) => {
  await login.requestCode('07400 123456', { path: `http://127.0.0.1:${TEST_PORTS.app}/login` });
  expect(await emulator.sessions('+447400123456')).toHaveLength(1);
  await page.goto('/dev/inbox');
  await expect(page.getByRole('table')).toContainText('+447400123456');
  await expectNoAxeViolations(page, '/dev/inbox', { exclude: ['nextjs-portal'] });
});

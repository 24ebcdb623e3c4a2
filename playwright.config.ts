import { defineConfig, devices } from '@playwright/test';

import { headlessShellPath } from './e2e/chromium';
import { TEST_PORTS } from './dev/stack/test-ports';

// A phone-sized Chromium: Debian's headless shell, since Playwright cannot download its own here.
const phone = {
  ...devices['Pixel 7'],
  viewport: { width: 360, height: 740 },
  launchOptions: {
    executablePath: headlessShellPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  // Two workers, each against a stack of its own (e2e/global-setup.ts): a browser test mostly waits
  // on its page, the app and the emulator, so one worker left a core of a two-core machine idle.
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  // The two workers share the cores, and on a busy machine a test with axe checks or a passkey
  // ceremony takes several times longer than on a quiet one (docs/testing.md).
  timeout: 120_000,
  globalSetup: './e2e/global-setup.ts',
  use: {
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'chromium', use: { ...phone, baseURL: `http://127.0.0.1:${TEST_PORTS.app}` } },
    // The same sign-in, on the instance that runs the `static` credential strategy.
    { name: 'chromium-static', testMatch: 'sign-in.spec.ts', use: { ...phone, baseURL: `http://127.0.0.1:${TEST_PORTS.staticApp}` } },
  ],
});

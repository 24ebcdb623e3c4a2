import { test as base, expect, type Browser, type Page } from '@playwright/test';

import { startApp, type AppInstance, type TestStack } from '../dev/stack/test-stack';
import { LOCAL_STACK } from '../lib/local-stack';
import { emulatorControl } from '../tests/support/emulator';
import { resetLimits } from '../tests/support/limits';
import { credentialIn } from '../tests/support/session';

/** What a worker knows of its stack (e2e/global-setup.ts starts one per worker). */
export type WorkerStack = Pick<TestStack, 'emulatorUrl' | 'directusUrl' | 'redisUrl' | 'appEnv'>;
/** This worker's stack: the one on its TEST_PORTS (Playwright numbers its workers in TEST_PARALLEL_INDEX). */
export const stack = (JSON.parse(process.env.E2E_STACKS!) as WorkerStack[])[Number(process.env.TEST_PARALLEL_INDEX ?? 0)]!;

export const ADA = LOCAL_STACK.demoMember;
export const emulator = emulatorControl(stack.emulatorUrl);
export const directusUrl = stack.directusUrl;
export { expect };

/** The login page, driven through the accessible names of the UI contract (docs/ui.md). */
export class LoginPage {
  constructor(readonly page: Page) {}

  readonly country = () => this.page.getByLabel('Country');
  readonly phone = () => this.page.getByLabel('Phone number');
  readonly code = () => this.page.getByLabel('Verification code');
  readonly alert = () => this.page.locator('form [role="alert"]');
  readonly button = (name: string) => this.page.getByRole('button', { name });
  /** Not "Sign out other devices". */
  readonly signOut = () => this.page.getByRole('button', { name: 'Sign out', exact: true });

  async requestCode(national: string, { country = 'GB', path = '/login' } = {}) {
    await this.page.goto(path);
    await this.country().selectOption(country);
    await this.phone().fill(national);
    await this.button('Send code').click();
    await expect(this.code()).toBeFocused();
  }
}

/** The Directus credential in the browser's session cookie (the test knows the app's secret). */
export async function credentialInBrowser(page: Page): Promise<string | undefined> {
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith('sms-sign-in'));
  return credentialIn(cookie?.value, stack.appEnv.SESSION_SECRET!);
}

/** A second browser of the demo member's (a device of theirs), signed in and on /account. */
export async function signedInDevice(browser: Browser, userAgent: string): Promise<Page> {
  const context = await browser.newContext({
    userAgent,
    viewport: { width: 360, height: 740 },
  });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await resetLimits(stack.redisUrl);
  await login.requestCode('07400 123456');
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/account$/);
  return page;
}

export const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';
export const LAPTOP_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

export const test = base.extend<{ login: LoginPage }>({
  login: async ({ page }, provide) => {
    await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
    await provide(new LoginPage(page));
  },
});

/**
 * For a spec that runs against an instance of the app with other settings, beside the stack's.
 * `host`: the name the browser opens it by (and its APP_URL), `localhost` where passkeys are used.
 */
export function againstAppWith(port: number, settings: Record<string, string>, { host = '127.0.0.1' as '127.0.0.1' | 'localhost' } = {}) {
  let app: AppInstance | undefined;
  test.use({ baseURL: `http://${host}:${port}` });
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    app = await startApp(
      port,
      {
        ...stack.appEnv,
        ...settings,
      },
      { host },
    );
  });
  test.afterAll(async () => {
    await app?.stop();
  });
}

/**
 * The page as the server sends it, never hydrated: its scripts are refused, while Playwright's
 * own (axe) still run, which they cannot with JavaScript off.
 */
export async function refusePageScripts(page: Page) {
  await page.route(isPageScript, (route) => route.abort());
}

const isPageScript = (url: URL) => url.pathname.startsWith('/_next/') && url.pathname.endsWith('.js');

/** Holds the page's scripts back, as a slow phone receives them late; returns what lets them through. */
export async function holdPageScripts(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(isPageScript, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** Collects CSP violations (from every page the test visits) and console errors and warnings. */
export async function watchForProblems(page: Page) {
  const violations: string[] = [];
  const messages: string[] = [];
  const policies: (string | undefined)[] = [];
  await page.exposeFunction('reportCspViolation', (violation: string) => violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation: (violation: string) => void }).reportCspViolation;
      void report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') messages.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => messages.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document') policies.push(response.headers()['content-security-policy']);
  });
  return { violations, messages, policies };
}

// What a person waits in Chromium from opening /login to /account: by SMS (the number typed, the
// code the emulator delivered typed) and by passkey (the button "Sign in with a passkey",
// Chromium's virtual authenticator through the DevTools protocol saying yes at once). Not
// throttled: the bench machine's own speed, on loopback.
import { chromium, type Page } from '@playwright/test';

import { chromiumPath } from '../../e2e/chromium';
import { emulatorControl } from '../../tests/support/emulator';
import { addVirtualAuthenticator, withoutPasskeyAutofill } from '../../tests/support/virtual-authenticator';
import type { BenchApp, BenchStack } from './bench-stack';
import { memberPhone } from './members';
import { quantile } from './stats';

type Method = 'SMS' | 'passkey';
const ACCOUNT = /\/account$/;

export async function measureBrowserSignIn(stack: BenchStack, app: BenchApp, loads: number) {
  const emulator = emulatorControl(stack.emulatorUrl);
  // A member no other part of the bench signs in while this runs.
  const phone = memberPhone(0);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ baseURL: app.origin, viewport: { width: 360, height: 740 } });
    // No passkey autofill, which would sign in as /login opens: the button is what is timed.
    await withoutPasskeyAutofill(context);
    const page = await context.newPage();
    await addVirtualAuthenticator(page);

    const signIn: Record<Method, () => Promise<void>> = {
      async SMS() {
        await page.goto('/login');
        await page.getByLabel('Country').selectOption('GB');
        await page.getByLabel('Phone number').fill(`0${phone.slice(3)}`);
        await page.getByRole('button', { name: 'Send code' }).click();
        const code = page.getByLabel('Verification code');
        await code.waitFor();
        await code.pressSequentially(await emulator.latestCode(phone));
        await page.waitForURL(ACCOUNT);
      },
      async passkey() {
        await page.goto('/login');
        await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await page.waitForURL(ACCOUNT);
      },
    };
    const timedSignIn = async (method: Method) => {
      await context.clearCookies();
      const started = performance.now();
      await signIn[method]();
      return performance.now() - started;
    };

    // Setup, and each method's first (cold) load: the member's passkey added on /account.
    await timedSignIn('SMS');
    await addPasskey(page);
    await timedSignIn('passkey');
    const times: Record<Method, number[]> = { SMS: [], passkey: [] };
    for (let load = 0; load < loads; load++) {
      const order: Method[] = load % 2 ? ['passkey', 'SMS'] : ['SMS', 'passkey'];
      for (const method of order) times[method].push(await timedSignIn(method));
    }
    const median = (method: Method) => quantile(times[method], 0.5);
    const range = (method: Method) => `${Math.round(Math.min(...times[method]))} to ${Math.round(Math.max(...times[method]))}`;
    return [
      `Sign-in in Chromium, from opening /login to /account loaded (median of ${loads} each after one, interleaved; not throttled; session strategy):`,
      `  SMS (number and code typed, the emulator's delivery)   ${Math.round(median('SMS'))} ms  (${range('SMS')})`,
      `  passkey (the button, a virtual authenticator)          ${Math.round(median('passkey'))} ms  (${range('passkey')})   ratio ${(median('passkey') / median('SMS')).toFixed(2)}`,
    ].join('\n');
  } finally {
    await browser.close();
  }
}

/** "Add a passkey" on /account, as the member would, until the list shows it. */
async function addPasskey(page: Page) {
  const list = page.getByRole('list', { name: 'Your passkeys' });
  const before = await list.getByRole('listitem').count();
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await list.getByRole('listitem').nth(before).waitFor();
}

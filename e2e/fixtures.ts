import { test as base, expect, type Page } from '@playwright/test';

import { LOCAL_STACK } from '../lib/local-stack';
import { emulatorControl } from '../tests/support/emulator';
import { resetLimits } from '../tests/support/limits';
import { credentialIn } from '../tests/support/session';

export const ADA = LOCAL_STACK.demoMember;
export const emulator = emulatorControl(process.env.E2E_EMULATOR_URL!);
export const directusUrl = process.env.E2E_DIRECTUS_URL!;
export { expect };

/** The login page, driven through the accessible names of the UI contract (DESIGN §5). */
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
  return credentialIn(cookie?.value, process.env.E2E_SESSION_SECRET!);
}

export const test = base.extend<{ login: LoginPage }>({
  login: async ({ page }, provide) => {
    await Promise.all([emulator.reset(), resetLimits(process.env.E2E_REDIS_URL!)]);
    await provide(new LoginPage(page));
  },
});

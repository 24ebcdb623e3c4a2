import type { Page } from '@playwright/test';

import { expectNoAxeViolations } from './axe';
import { ADA, emulator, expect, refusePageScripts, test, type LoginPage } from './fixtures';
import { wrongCodeFor } from '../tests/support/emulator';

// axe (WCAG 2.1 A and AA) on every screen and every error the sign-in can show, in the light and
// the dark scheme, each state produced the way a person meets it: the real app, Directus and the
// emulator's refusals and faults.

async function typePhone(login: LoginPage, national: string) {
  await login.page.goto('/login');
  await login.country().selectOption('GB');
  await login.phone().fill(national);
  await login.button('Send code').click();
}

test.describe('the phone step', () => {
  test('as it first appears', async ({ login, page }) => {
    await page.goto('/login');
    await expect(login.button('Send code')).toBeEnabled();
    await expectNoAxeViolations(page, 'phone step');
  });

  test('with no number typed', async ({ login, page }) => {
    await page.goto('/login');
    await login.button('Send code').click();
    await expect(login.alert()).toContainText(/phone number/i);
    await expect(login.phone()).toHaveAttribute('aria-invalid', 'true');
    await expectNoAxeViolations(page, 'phone step, no number');
  });

  test('with a number that cannot receive a code', async ({ login, page }) => {
    await typePhone(login, '020 7946 0000');
    await expect(login.alert()).toContainText(/mobile number/i);
    await expectNoAxeViolations(page, 'phone step, invalid number');
  });

  test('when Plivo refuses the country', async ({ login, page }) => {
    await emulator.recipientRule({ recipient: ADA.phone, refuse: 'geo' });
    await typePhone(login, '07400 123456');
    await expect(login.alert()).toContainText(/that country/i);
    await expectNoAxeViolations(page, 'phone step, country refused');
  });

  test('when Plivo rate-limits', async ({ login, page }) => {
    await emulator.recipientRule({ recipient: ADA.phone, refuse: 'rate_limit' });
    await typePhone(login, '07400 123456');
    await expect(login.alert()).toContainText(/try again in/i);
    await expectNoAxeViolations(page, 'phone step, rate limited');
  });

  test('when Plivo is down', async ({ login, page }) => {
    await emulator.fault({ endpoint: 'create', kind: 'status', status: 503 });
    await typePhone(login, '07400 123456');
    await expect(login.alert()).toContainText(/temporarily unavailable/i);
    await expectNoAxeViolations(page, 'phone step, upstream unavailable');
  });
});

test.describe('the code step', () => {
  test('while the resend countdown runs', async ({ login, page }) => {
    await login.requestCode('07400 123456');
    await expect(login.button('Resend code')).toBeDisabled();
    await expectNoAxeViolations(page, 'code step');
  });

  test('after a wrong code', async ({ login, page }) => {
    await login.requestCode('07400 123456');
    await login.code().fill(wrongCodeFor(await emulator.latestCode(ADA.phone)));
    await expect(login.alert()).toContainText(/not right/i);
    await expect(login.code()).toHaveAttribute('aria-invalid', 'true');
    await expectNoAxeViolations(page, 'code step, wrong code');
  });

  test('after too many wrong codes', async ({ login, page }) => {
    await login.requestCode('07400 123456');
    const wrong = wrongCodeFor(await emulator.latestCode(ADA.phone));
    // What the server answered, not what the page shows yet: a button read before React has
    // rendered the last answer would send one try too many (and find no code waiting).
    const answered = async () => {
      const response = await page.waitForResponse((r) => r.url().endsWith('/api/auth/verify'));
      return ((await response.json()) as { error?: { code?: string } }).error?.code;
    };
    let answer = answered();
    await login.code().fill(wrong); // a complete code submits itself; the same one again does not
    for (let attempt = 2; attempt <= 6 && (await answer) !== 'too_many_attempts'; attempt += 1) {
      answer = answered();
      await login.button('Verify').click();
    }
    await expect(login.alert()).toContainText(/too many wrong codes/i);
    await expect(login.button('Get a new code')).toBeVisible();
    await expectNoAxeViolations(page, 'code step, too many attempts');
  });

  test('with an expired code', async ({ login, page }) => {
    await login.requestCode('07400 123456');
    const code = await emulator.latestCode(ADA.phone);
    await emulator.advanceClock(601);
    await login.code().fill(code);
    await expect(login.alert()).toContainText(/expired/i);
    await expectNoAxeViolations(page, 'code step, expired');
  });

  test('when Plivo is down', async ({ login, page }) => {
    await login.requestCode('07400 123456');
    await emulator.fault({ endpoint: 'validate', kind: 'status', status: 503 });
    await login.code().fill(await emulator.latestCode(ADA.phone));
    await expect(login.alert()).toContainText(/temporarily unavailable/i);
    await expectNoAxeViolations(page, 'code step, upstream unavailable');
  });
});

test('the account page and the members area', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('list', { name: 'Your devices' })).toBeVisible();
  await expectNoAxeViolations(page, '/account');

  await page.getByRole('link', { name: 'Members area' }).click();
  await expect(page.getByRole('img', { name: 'Welcome to the members area' })).toBeVisible();
  await expectNoAxeViolations(page, '/members');
});

test.describe('without JavaScript', () => {
  // axe runs as a script of its own, so the page's scripts are refused instead of JavaScript
  // being off: what is checked is the page as the server sends it, never hydrated.
  test.beforeEach(async ({ page }) => {
    await refusePageScripts(page);
  });

  /**
   * What a browser with JavaScript off shows of the `<noscript>` parts (the language button): with
   * scripting on, their content is text, so it is put in the page as elements here.
   */
  async function showNoscriptParts(page: Page) {
    await page.evaluate(() => {
      for (const noscript of document.querySelectorAll('noscript')) noscript.outerHTML = noscript.textContent ?? '';
    });
  }

  test('the phone step, and its error', async ({ login, page }) => {
    await page.goto('/login');
    await showNoscriptParts(page);
    await expect(page.getByRole('button', { name: 'Change language' })).toBeVisible();
    await expectNoAxeViolations(page, 'phone step without JavaScript');
    await typePhone(login, '12');
    await expect(login.alert()).toContainText(/number/i);
    await expectNoAxeViolations(page, 'phone step, invalid number, without JavaScript');
  });

  test('the code step', async ({ login, page }) => {
    await typePhone(login, '07400 123456');
    await expect(login.code()).toBeVisible();
    await expectNoAxeViolations(page, 'code step without JavaScript');
  });

  test('the code step after a wrong code', async ({ login, page }) => {
    await typePhone(login, '07400 123456');
    await login.code().fill(wrongCodeFor(await emulator.latestCode(ADA.phone)));
    await login.button('Verify').click();
    await expect(login.alert()).toContainText(/not right/i);
    await expectNoAxeViolations(page, 'code step, wrong code, without JavaScript');
  });
});

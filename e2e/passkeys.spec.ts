import type { Page } from '@playwright/test';

import { TEST_PORTS } from '../dev/stack/test-ports';
import { addVirtualAuthenticator, withoutPasskeyAutofill, type VirtualAuthenticator } from '../tests/support/virtual-authenticator';
import { expectNoAxeViolations } from './axe';
import { ADA, againstAppWith, emulator, expect, LoginPage, test } from './fixtures';

// Passkeys in real Chromium with its virtual authenticator (the DevTools protocol's WebAuthn
// domain), against the real extension. Browsers refuse passkeys on an IP address, so these tests
// open an instance of the app on localhost, whose origin the test stack's extension allows.
againstAppWith(TEST_PORTS.passkeyApp, {}, { host: 'localhost' });

async function credentialsOf({ cdp, authenticatorId }: VirtualAuthenticator) {
  return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
}

async function signInBySms(login: LoginPage, path = '/login') {
  await login.requestCode('07400 123456', { path });
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(login.page).toHaveURL(/\/account$/);
}

const passkeyList = (page: Page) => page.getByRole('list', { name: 'Your passkeys' });

/** Earlier tests' passkeys off Ada's account, so that each test starts with none. */
async function removeAllPasskeys(page: Page) {
  const removeButtons = passkeyList(page).getByRole('button', { name: /^Remove / });
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeEnabled();
  for (let left = await removeButtons.count(); left > 0; left -= 1) {
    await removeButtons.first().click();
    await expect(removeButtons).toHaveCount(left - 1);
  }
  await expect(page.getByText('You have no passkeys yet.')).toBeVisible();
}

test('a member adds a passkey after an SMS sign-in, then signs in with it by autofill and by the button', async ({
  login,
  page,
  browser,
}) => {
  test.setTimeout(180_000); // eight axe runs on a busy machine
  const authenticator = await addVirtualAuthenticator(page);
  await signInBySms(login);
  await removeAllPasskeys(page);

  // Offered once on this device, right after the SMS sign-in.
  await expect(page.getByRole('heading', { name: 'Passkeys' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in faster next time' })).toBeVisible();
  await expectNoAxeViolations(page, '/account, the passkey offer');

  // By the keyboard alone: Tab from "Not now" to "Add a passkey", then Enter.
  await page.getByRole('button', { name: 'Not now' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(passkeyList(page).getByRole('listitem')).toHaveCount(1);
  await expect(passkeyList(page)).toContainText('Not used yet.');
  await expect(page.getByRole('heading', { name: 'Sign in faster next time' })).toHaveCount(0);
  expect(await credentialsOf(authenticator)).toHaveLength(1);
  await expectNoAxeViolations(page, '/account, one passkey');

  // Rename, by the keyboard: the button names the passkey it renames.
  await passkeyList(page).getByRole('button', { name: 'Rename Passkey' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('New name for Passkey')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('My phone');
  await expectNoAxeViolations(page, '/account, renaming a passkey');
  await page.keyboard.press('Enter');
  await expect(passkeyList(page).getByRole('button', { name: 'Rename My phone' })).toBeFocused();

  // Autofill: on /login the phone field offers the passkey, which this authenticator picks at
  // once, back to /account, where the passkey now has a last use.
  await login.signOut().click();
  await expect(passkeyList(page)).toContainText('Last used');
  await expect(page).toHaveURL(/\/account$/);

  // The button, in a browser without autofill.
  await withoutPasskeyAutofill(page.context());
  await login.signOut().click();
  await expect(page).toHaveURL(/\/login/);
  await expect(login.phone()).toHaveAttribute('autocomplete', 'tel webauthn');
  await expect(login.button('Sign in with a passkey')).toBeVisible();
  await expectNoAxeViolations(page, '/login with passkeys');
  // By the keyboard alone: the passkey button comes right after Send code.
  await login.button('Send code').focus();
  await page.keyboard.press('Tab');
  await expect(login.button('Sign in with a passkey')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: /Ada/ })).toBeVisible();

  // Another browser, without the credential, cannot; the SMS path stays as it was.
  const other = await browser.newContext({ baseURL: `http://localhost:${TEST_PORTS.passkeyApp}`, viewport: { width: 360, height: 740 } });
  const stranger = new LoginPage(await other.newPage());
  await addVirtualAuthenticator(stranger.page);
  await stranger.page.goto('/login');
  await stranger.button('Sign in with a passkey').click();
  await expect(stranger.alert()).toHaveText('The passkey was cancelled or timed out. Please try again, or use a code.');
  await expect(stranger.page).toHaveURL(/\/login/);
  await expectNoAxeViolations(stranger.page, '/login, a passkey that did not sign in');
  await stranger.country().selectOption('GB');
  await stranger.phone().fill('07400 123456');
  await stranger.button('Send code').click();
  await expect(stranger.code()).toBeFocused();
  await other.close();

  // Removed, it no longer signs in, though the authenticator still holds it.
  await passkeyList(page).getByRole('button', { name: 'Remove My phone' }).click();
  await expect(page.getByText('You have no passkeys yet.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeFocused();
  await login.signOut().click();
  await expect(page).toHaveURL(/\/login/);
  await login.button('Sign in with a passkey').click();
  await expect(login.alert()).toHaveText('That passkey did not sign you in. Please try again, or sign in with a code.');
  expect(await credentialsOf(authenticator)).toHaveLength(1);
});

test('adding a passkey after a passkey sign-in asks for a new code first', async ({ login, page }) => {
  const authenticator = await addVirtualAuthenticator(page);
  await withoutPasskeyAutofill(page.context());
  await signInBySms(login);
  await removeAllPasskeys(page);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(passkeyList(page).getByRole('listitem')).toHaveCount(1);
  await login.signOut().click();
  await login.button('Sign in with a passkey').click();
  await expect(page).toHaveURL(/\/account$/);

  // A passkey sign-in is no recent SMS sign-in.
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  const alert = page.getByRole('region', { name: 'Passkeys' }).getByRole('alert');
  await expect(alert).toContainText('To add a passkey, please confirm it is you with a new code first.');
  await expectNoAxeViolations(page, '/account, a new code needed to add a passkey');
  await alert.getByRole('link', { name: 'Send me a code' }).click();
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)account$/);
  await signInBySms(login, '/login?next=/account');

  // This authenticator holds the first passkey (which it may not register twice): forget it here.
  const [first] = await credentialsOf(authenticator);
  await authenticator.cdp.send('WebAuthn.removeCredential', {
    authenticatorId: authenticator.authenticatorId,
    credentialId: first!.credentialId,
  });
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(passkeyList(page).getByRole('listitem')).toHaveCount(2);
  await removeAllPasskeys(page);
});

for (const lang of [
  { locale: 'de-DE', signIn: 'Mit einem Passkey anmelden', cancelled: /abgebrochen/, heading: 'Passkeys', add: 'Passkey hinzufügen' },
  {
    locale: 'es-ES',
    signIn: 'Iniciar sesión con una llave de acceso',
    cancelled: /se canceló/,
    heading: 'Llaves de acceso',
    add: 'Añadir una llave de acceso',
  },
]) {
  test.describe(`in ${lang.locale}`, () => {
    test.use({ locale: lang.locale, extraHTTPHeaders: { 'Accept-Language': lang.locale } });

    test('the passkey button, its refusal and the account section speak the language', async ({ login, page }) => {
      await addVirtualAuthenticator(page);
      await page.goto('/login');
      await login.button(lang.signIn).click();
      await expect(login.alert()).toContainText(lang.cancelled);
      await expectNoAxeViolations(page, `/login in ${lang.locale}, a passkey that did not sign in`);
      // The English names are the contract; here the fields are found by what they are.
      await page.locator('select[name="country"]').selectOption('GB');
      await page.locator('input[type="tel"]').fill('07400 123456');
      await page.locator('form button[type="submit"]').click();
      const code = page.locator('input[autocomplete="one-time-code"]');
      await expect(code).toBeFocused();
      await code.pressSequentially(await emulator.latestCode(ADA.phone));
      await expect(page).toHaveURL(/\/account$/);
      await expect(page.getByRole('heading', { name: lang.heading, exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: lang.add })).toBeVisible();
      await expectNoAxeViolations(page, `/account in ${lang.locale}`);
    });
  });
}

import type { Page } from '@playwright/test';

import { wrongCodeFor } from '../tests/support/emulator';
import { ADA, emulator, expect, holdPageScripts, test } from './fixtures';

// Signing in in each language, in real Chromium against the real stack: the words on the page,
// <html lang>, the country names, the countdown, the error sentences, and the language Plivo is
// asked to speak. The English names are the UI contract (docs/ui.md); the others are the catalogs'.
const LANGUAGES = [
  {
    // A browser asking only for a language the app does not speak gets English, the contract's names.
    locale: 'en',
    acceptLanguage: 'fr-FR,fr;q=0.9',
    heading: 'Sign in',
    country: 'Country',
    unitedKingdom: 'United Kingdom (+44)',
    phone: 'Phone number',
    send: 'Send code',
    codeHeading: 'Enter your code',
    code: 'Verification code',
    resendWaiting: /^Resend code in \d+ s$/,
    wrongCode: 'That code is not right. Check the message and try again. 4 attempts left.',
    hello: 'Hello, Ada',
    signOut: 'Sign out',
  },
  {
    locale: 'de',
    acceptLanguage: 'de-DE,de;q=0.9',
    heading: 'Anmelden',
    country: 'Land',
    unitedKingdom: 'Vereinigtes Königreich (+44)',
    phone: 'Telefonnummer',
    send: 'Code senden',
    codeHeading: 'Code eingeben',
    code: 'Bestätigungscode',
    resendWaiting: /^Code erneut senden \(in \d+ s\)$/,
    wrongCode: 'Dieser Code stimmt nicht. Bitte prüfen Sie die Nachricht und versuchen Sie es erneut. Noch 4 Versuche.',
    hello: 'Hallo, Ada',
    signOut: 'Abmelden',
  },
  {
    locale: 'es',
    acceptLanguage: 'es-ES,es;q=0.9',
    heading: 'Iniciar sesión',
    country: 'País',
    unitedKingdom: 'Reino Unido (+44)',
    phone: 'Número de teléfono',
    send: 'Enviar código',
    codeHeading: 'Introduzca su código',
    code: 'Código de verificación',
    resendWaiting: /^Reenviar código dentro de \d+ s$/,
    wrongCode: 'Ese código no es correcto. Revise el mensaje e inténtelo de nuevo. Le quedan 4 intentos.',
    hello: 'Hola, Ada',
    signOut: 'Cerrar sesión',
  },
] as const;

const languageSelect = (page: Page, label: string) => page.getByLabel(label, { exact: true });

for (const lang of LANGUAGES) {
  test.describe(`in ${lang.locale} (from Accept-Language ${lang.acceptLanguage})`, () => {
    test.use({ locale: lang.acceptLanguage.split(',')[0], extraHTTPHeaders: { 'Accept-Language': lang.acceptLanguage } });

    test('the demo member signs in, and the code is asked for in that language', async ({ login, page }) => {
      await page.goto('/login');
      await expect(page.locator('html')).toHaveAttribute('lang', lang.locale);
      await expect(page.getByRole('heading', { name: lang.heading, exact: true })).toBeVisible();
      const country = page.getByLabel(lang.country, { exact: true });
      await country.selectOption('GB');
      await expect(country.locator('option:checked')).toHaveText(lang.unitedKingdom);
      await page.getByLabel(lang.phone, { exact: true }).fill('07400 123456');
      await page.getByRole('button', { name: lang.send }).click();

      await expect(page.getByRole('heading', { name: lang.codeHeading })).toBeVisible();
      await expect(page.getByRole('button', { name: lang.resendWaiting })).toBeDisabled();
      const [sent] = await emulator.sessions(ADA.phone);
      expect(sent?.locale).toBe(lang.locale);

      const code = page.getByLabel(lang.code, { exact: true });
      await expect(code).toBeFocused();
      await code.fill(wrongCodeFor(sent!.code));
      await expect(login.alert()).toHaveText(lang.wrongCode);
      await code.fill(sent!.code);
      await expect(page).toHaveURL(/\/account$/);
      await expect(page.getByRole('heading', { name: lang.hello })).toBeVisible();
      await expect(page.getByRole('button', { name: lang.signOut, exact: true })).toBeVisible();
    });
  });
}

test('the switcher changes the language in place, remembers it, and outranks Accept-Language', async ({ login, page }) => {
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await login.country().selectOption('GB');
  await login.phone().fill('07400 123456');

  await languageSelect(page, 'Language').selectOption('es');
  await expect(page.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  // A refresh, not a reload: what was typed stays.
  await expect(page.getByLabel('Número de teléfono')).toHaveValue('07400 123456');
  await page.getByRole('button', { name: 'Enviar código' }).click();
  await expect(page.getByRole('heading', { name: 'Introduzca su código' })).toBeVisible();
  const [sent] = await emulator.sessions(ADA.phone);
  expect(sent?.locale).toBe('es');

  // On the code step, too: the step and its countdown stay, in the new language.
  await languageSelect(page, 'Idioma').selectOption('de');
  await expect(page.getByRole('heading', { name: 'Code eingeben' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Stattdessen anrufen \(in \d+ s\)$/ })).toBeDisabled();
  await page.getByLabel('Bestätigungscode').fill(sent!.code);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Hallo, Ada' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  // Back to English: the contract's names again.
  await languageSelect(page, 'Sprache').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Hello, Ada' })).toBeVisible();
  await expect(login.signOut()).toBeVisible();
});

test('a language chosen before the page has hydrated is applied once it has', async ({ page }) => {
  // The page's scripts are held back until the choice is made.
  const release = await holdPageScripts(page);
  await page.goto('/login', { waitUntil: 'domcontentloaded' });
  await languageSelect(page, 'Language').selectOption('de');
  release();
  await expect(page.getByRole('heading', { name: 'Anmelden' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
});

test("the API's error codes stay, its message follows the cookie, else Accept-Language", async ({ page }) => {
  const verify = (headers: Record<string, string>) =>
    page.request.post('/api/auth/verify', { data: { code: '123456' }, headers: { 'Content-Type': 'application/json', ...headers } });
  const answers = await Promise.all([
    verify({ 'Accept-Language': 'en-GB,en;q=0.9' }),
    verify({ 'Accept-Language': 'es-MX,es;q=0.9' }),
    verify({ 'Accept-Language': 'es', Cookie: 'NEXT_LOCALE=de' }),
  ]);
  const bodies = await Promise.all(answers.map((answer) => answer.json()));
  expect(answers.map((answer) => answer.status())).toEqual([409, 409, 409]);
  expect(bodies.map((body) => body.error.code)).toEqual(['no_pending_verification', 'no_pending_verification', 'no_pending_verification']);
  expect(bodies.map((body) => body.error.message)).toEqual([
    'There is no code waiting for you. Enter your phone number to get one.',
    'No tiene ningún código pendiente. Introduzca su número de teléfono para recibir uno.',
    'Für Sie liegt kein Code bereit. Geben Sie Ihre Telefonnummer ein, um einen zu erhalten.',
  ]);
});

import { ADA, emulator, expect, test } from './fixtures';

// The sign-in through plain form posts, as a phone with JavaScript off (or not loaded yet) does it:
// the same use-cases, limits, cookie and sentences as the API, answered with pages.
test.use({ javaScriptEnabled: false });

test('without JavaScript: phone, code, signed in, then signed out', async ({ login, page }) => {
  await page.goto('/login');
  await login.country().selectOption('GB');
  await login.phone().fill('07400 123456');
  await login.button('Send code').click();
  await expect(page.getByText('+44 7400 123456')).toBeVisible();
  await login.code().fill(await emulator.latestCode(ADA.phone));
  await login.button('Verify').click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: /Ada/ })).toBeVisible();
  await login.signOut().click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(login.phone()).toBeVisible();
});

test('without JavaScript: a wrong code is refused with the attempts left, and Change number goes back', async ({ login, page }) => {
  await page.goto('/login');
  await login.phone().fill('+44 7400 123456');
  await login.button('Send code').click();
  const code = await emulator.latestCode(ADA.phone);
  await login.code().fill(code.replace(/\d$/, (d) => String((Number(d) + 1) % 10)));
  await login.button('Verify').click();
  await expect(login.alert()).toContainText('That code is not right. Check the message and try again. 4 attempts left.');
  await login.button('Change number').click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(login.phone()).toBeVisible();
});

test('without JavaScript: resend is refused during the cooldown, then sends the code again', async ({ login, page }) => {
  await page.goto('/login');
  await login.phone().fill('+44 7400 123456');
  await login.button('Send code').click();
  await login.button('Resend code').click();
  await expect(login.alert()).toContainText(/try again in/i);
  const deliveries = async () => (await emulator.sessions(ADA.phone)).map((session) => session.deliveries);
  expect(await deliveries()).toEqual([1]);
  await page.waitForTimeout(3_500); // the test stack's OTP_RESEND_AFTER_SECONDS
  await login.button('Resend code').click();
  await expect(page.getByText(/sent a new code/i)).toBeVisible();
  await expect.poll(deliveries).toEqual([2]);
  await login.code().fill(await emulator.latestCode(ADA.phone));
  await login.button('Verify').click();
  await expect(page).toHaveURL(/\/account$/);
});

test('without JavaScript: an invalid number is refused in the page', async ({ login, page }) => {
  await page.goto('/login');
  await login.country().selectOption('GB');
  await login.phone().fill('12');
  await login.button('Send code').click();
  await expect(login.alert()).toContainText(/number/i);
  await expect(login.phone()).toHaveAttribute('aria-invalid', 'true');
  expect(await emulator.sessions(ADA.phone)).toHaveLength(0);
});

test('without JavaScript: a cross-site form post is refused and sends nothing', async ({ page, baseURL }) => {
  // What a form on another site posting to ours looks like: the browser names that site.
  const response = await page.request.post('/api/auth/form', {
    headers: { Origin: 'https://elsewhere.example', 'Sec-Fetch-Site': 'cross-site' },
    form: { intent: 'start', country: 'GB', phone: '07400 123456' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  expect(response.headers()['set-cookie']).toBeUndefined();
  expect(await emulator.sessions(ADA.phone)).toHaveLength(0);
  expect(baseURL).toBeTruthy();
});

test('without JavaScript, in German: the pages and the error sentences speak German', async ({ browser }) => {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    locale: 'de-DE',
    extraHTTPHeaders: { 'Accept-Language': 'de-DE,de;q=0.9' },
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Land').selectOption('GB');
  await page.getByLabel('Telefonnummer').fill('07400 123456');
  await page.getByRole('button', { name: 'Code senden' }).click();
  const code = await emulator.latestCode(ADA.phone);
  await page.getByLabel('Bestätigungscode').fill(code.replace(/\d$/, (d) => String((Number(d) + 1) % 10)));
  await page.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(page.locator('form [role="alert"]')).toContainText('Dieser Code stimmt nicht.');
  await page.getByLabel('Bestätigungscode').fill(code);
  await page.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(page.getByRole('heading', { name: 'Hallo, Ada' })).toBeVisible();
  await context.close();
});

test('without JavaScript: the language switcher changes the language of the page it was on', async ({ login, page }) => {
  await page.goto('/login?next=/members');
  await login.country().selectOption('GB');
  await login.phone().fill('12');
  await login.button('Send code').click();
  await expect(login.alert()).toContainText(/number/i);
  await page.getByLabel('Language').selectOption('de');
  await page.getByRole('button', { name: 'Change language' }).click();
  // The same page (its error and `next` kept), now in German, and the choice remembered.
  await expect(page).toHaveURL(/\/login\?.*next=%2Fmembers/);
  await expect(page.getByLabel('Sprache')).toHaveValue('de');
  await expect(page.getByRole('heading', { name: 'Anmelden' })).toBeVisible();
  await expect(login.alert()).toContainText(/Nummer/);
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Code senden' })).toBeVisible();
  await page.getByLabel('Sprache').selectOption('es');
  await page.getByRole('button', { name: 'Sprache ändern' }).click();
  await expect(page.getByLabel('Idioma')).toHaveValue('es');
  await expect(page.getByRole('button', { name: 'Cambiar idioma' })).toBeVisible();
});

test("without JavaScript: the switcher's post takes only our languages and goes back only to a page of ours", async ({ page, baseURL }) => {
  const post = (form: Record<string, string>) =>
    page.request.post('/api/auth/form', { headers: { Origin: new URL(baseURL!).origin }, form, maxRedirects: 0 });
  const unknown = await post({ intent: 'language', locale: 'fr', back: '/login' });
  expect(unknown.status()).toBe(400);
  expect(await unknown.json()).toMatchObject({ error: { code: 'invalid_request' } });
  expect(unknown.headers()['set-cookie']).toBeUndefined();
  const elsewhere = await post({ intent: 'language', locale: 'es', back: '//elsewhere.example/login' });
  expect(elsewhere.status()).toBe(303);
  expect(elsewhere.headers()['location']).toBe('/');
  expect(elsewhere.headers()['set-cookie']).toMatch(/^NEXT_LOCALE=es; Path=\/; .*Max-Age=31536000/);
});

import { ADA, credentialInBrowser, directusUrl, emulator, expect, holdPageScripts, test } from './fixtures';

test('the demo member signs in with the code from the SMS and sees their name', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  await expect(page.getByText('+44 7400 123456')).toBeVisible();
  // Typing the last digit submits the form by itself.
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: /Ada/ })).toBeVisible();
});

test('a pasted code with spaces is accepted and submits itself', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  const code = await emulator.latestCode(ADA.phone);
  await login.code().fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await expect(page).toHaveURL(/\/account$/);
});

test('a code typed in Arabic-Indic digits signs in', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  const code = await emulator.latestCode(ADA.phone);
  await login.code().pressSequentially([...code].map((digit) => String.fromCodePoint(0x0660 + Number(digit))).join(''));
  await expect(page).toHaveURL(/\/account$/);
});

test('the phone number is formatted as it is typed', async ({ login, page }) => {
  await page.goto('/login');
  await login.country().selectOption('GB');
  await login.phone().pressSequentially('07400123456');
  await expect(login.phone()).toHaveValue('07400 123456');
});

test('a wrong code is refused with the attempts left, then the right code signs in', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  const code = await emulator.latestCode(ADA.phone);
  const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
  // A complete code submits itself.
  await login.code().fill(wrong);
  await expect(login.alert()).toContainText(/not right/i);
  await expect(login.alert()).toContainText(/4 attempts left/i);
  await login.code().fill(code.slice(0, 5));
  await login.code().press(code.slice(5));
  await expect(page).toHaveURL(/\/account$/);
});

test('the Verify button submits a code that is not complete yet', async ({ login }) => {
  await login.requestCode('07400 123456');
  await login.code().fill('1234');
  await login.button('Verify').click();
  await expect(login.alert()).toContainText(/not right/i);
});

test('an expired code is refused and the person is offered a new one', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  const code = await emulator.latestCode(ADA.phone);
  await emulator.advanceClock(601);
  await login.code().fill(code);
  await expect(login.alert()).toContainText(/expired/i);
  await expect(page).toHaveURL(/\/login/);
});

test('resend waits for its countdown, then sends the code again by SMS and by voice', async ({ login }) => {
  await login.requestCode('07400 123456');
  await expect(login.button('Resend code')).toBeDisabled();
  await expect(login.button('Resend code')).toContainText(/\d+\s*s/);
  await expect(login.button('Resend code')).toBeEnabled({ timeout: 10_000 });
  await login.button('Resend code').click();
  await expect(login.button('Call me instead')).toBeDisabled();
  await expect(login.button('Call me instead')).toBeEnabled({ timeout: 10_000 });
  await login.button('Call me instead').click();
  await expect(login.button('Call me instead')).toContainText(/\d+\s*s/);
  const [session] = await emulator.sessions(ADA.phone);
  expect(session?.channel).toBe('voice');
  await login.code().pressSequentially(session!.code);
  await expect(login.page).toHaveURL(/\/account$/);
});

test('an unknown number looks the same and never signs in', async ({ login, page }) => {
  await login.requestCode('07400 999888');
  await expect(page.getByText('+44 7400 999888')).toBeVisible();
  expect(await emulator.sessions('+447400999888')).toEqual([]);
  await login.code().pressSequentially('123456');
  await expect(login.alert()).toContainText(/not right/i);
  await expect(page).toHaveURL(/\/login/);
});

test('a number that cannot receive SMS gets a clear error', async ({ login, page }) => {
  await page.goto('/login');
  await login.country().selectOption('GB');
  await login.phone().fill('020 7946 0000');
  await login.button('Send code').click();
  await expect(login.alert()).toContainText(/mobile number/i);
});

test('change number goes back to the phone step', async ({ login }) => {
  await login.requestCode('07400 123456');
  await login.button('Change number').click();
  await expect(login.phone()).toBeVisible();
  await expect(login.phone()).toHaveValue(/7400 123456/);
});

test('sign out revokes the credential in Directus', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/account$/);
  const token = await credentialInBrowser(page);
  expect(token).toBeTruthy();
  const me = () => fetch(`${directusUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect((await me()).status).toBe(200);

  await login.signOut().click();
  await expect(page).toHaveURL(/\/login/);
  expect((await me()).status).toBe(401);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)account$/);
});

test('visiting /account while signed out redirects to /login', async ({ page }) => {
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)account$/);
  await expect(page.getByLabel('Phone number')).toBeVisible();
});

test('after signing in, ?next= brings the person back to a same-origin path only', async ({ login, page }) => {
  await login.requestCode('07400 123456', { path: '/login?next=https://evil.example/steal' });
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/account$/);
});

test('a tampered cookie is signed out', async ({ login, page, context }) => {
  await login.requestCode('07400 123456');
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/account$/);
  const [cookie] = (await context.cookies()).filter((c) => c.name.endsWith('sms-sign-in'));
  await context.clearCookies();
  await context.addCookies([{ ...cookie!, value: cookie!.value.slice(0, -10) + 'AAAAAAAAAA' }]);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)account$/);
});

test('a click on Send code before the page has hydrated still sends one code', async ({ login, page }) => {
  // The page's scripts arrive only after the click, as on a slow phone.
  const release = await holdPageScripts(page);
  await page.goto('/login', { waitUntil: 'domcontentloaded' });
  await login.country().selectOption('GB');
  await login.phone().fill('07400 123456');
  await login.button('Send code').click({ timeout: 5_000 });
  release();
  await expect(login.code()).toBeVisible();
  await expect(page.getByText('+44 7400 123456')).toBeVisible();
  expect(await emulator.sessions(ADA.phone)).toHaveLength(1);
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/account$/);
});

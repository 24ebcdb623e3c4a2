import { ADA, emulator, expect, test } from './fixtures';

// The code screen shows how the text is doing, as Plivo (the emulator) reports it, without a reload.

test('a delivered text shows Delivered', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  await expect(page.getByText('Delivered', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Call me instead/ })).toHaveCount(1);
});

test('a text stopped by Fraud Shield says so, and Call me instead delivers the code by a call', async ({ login, page }) => {
  await emulator.recipientRule({ recipient: ADA.phone, failSms: '452' });
  await login.requestCode('07400 123456');
  await expect(
    page.getByText("We could not text your code: our SMS provider's fraud protection stopped it. We can call you with the code instead."),
  ).toBeVisible();
  await expect(page.getByText('Delivered', { exact: true })).toHaveCount(0);
  const callMe = page.getByRole('button', { name: 'Call me instead', exact: true });
  await expect(callMe).toBeEnabled({ timeout: 10_000 }); // after the stack's resend cooldown
  await callMe.click();
  await expect(page.getByText(`We are calling ${'+44 7400 123456'} to read you a code.`)).toBeVisible();
  await expect(page.getByText('Call completed', { exact: true })).toBeVisible({ timeout: 10_000 }); // a call lasts seconds
  const [latest] = await emulator.sessions(ADA.phone);
  expect([latest!.channel, latest!.deliveries]).toEqual(['voice', 2]);
  await login.code().pressSequentially(latest!.code);
  await expect(page).toHaveURL(/\/account$/);
});

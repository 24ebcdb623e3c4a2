import { TEST_PORTS } from '../dev/stack/test-ports';
import { ADA, emulator, expect, test, againstAppWith } from './fixtures';

// An instance of the app with OTP_CODE_LENGTH=8 beside the stack's (which uses the default 6).
againstAppWith(TEST_PORTS.app + 15, { OTP_CODE_LENGTH: '8' });

test('an 8-digit code: six digits do not submit it, the eighth does', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  const code = await emulator.latestCode(ADA.phone);
  expect(code).toMatch(/^\d{8}$/);
  const verifies: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/auth/verify')) verifies.push(request.url());
  });
  await login.code().pressSequentially(code.slice(0, 6));
  await page.waitForTimeout(500);
  expect(verifies).toEqual([]);
  await expect(login.code()).toHaveValue(code.slice(0, 6));
  await login.code().pressSequentially(code.slice(6));
  await expect(page).toHaveURL(/\/account$/);
  expect(verifies).toHaveLength(1);
});

test('an 8-digit code with a space, filled in or pasted, submits itself', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  const code = await emulator.latestCode(ADA.phone);
  const spaced = `${code.slice(0, 4)} ${code.slice(4)}`;
  await login.code().fill(spaced.slice(0, 7)); // "1234 56": not yet
  await expect(login.code()).toHaveValue(code.slice(0, 6));
  await login.code().evaluate((input, text) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text', text);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, spaced);
  await expect(page).toHaveURL(/\/account$/);
});

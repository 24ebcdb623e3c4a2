import { emulator, expect, LAPTOP_UA, PHONE_UA, signedInDevice, stack, test } from './fixtures';
import { resetLimits } from '../tests/support/limits';

// Two browsers signed in as the same member, as two of their devices (the `session` strategy).
test.beforeEach(() => Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]));

test('two devices stay signed in, each listed, and signing out one leaves the other', async ({ browser }) => {
  const phone = await signedInDevice(browser, PHONE_UA);
  // Earlier tests left Ada signed in elsewhere: start from this one device.
  await phone.getByRole('button', { name: 'Sign out other devices' }).click();
  await expect(phone.getByRole('list', { name: 'Your devices' }).getByRole('listitem')).toHaveCount(1);
  const laptop = await signedInDevice(browser, LAPTOP_UA);

  await expect(laptop.getByRole('heading', { name: 'Devices' })).toBeVisible();
  const devices = laptop.getByRole('list', { name: 'Your devices' }).getByRole('listitem');
  await expect(devices).toHaveCount(2);
  await expect(devices.filter({ hasText: 'This device' })).toContainText('Safari on macOS');
  await expect(devices.filter({ hasNotText: 'This device' })).toContainText('Chrome on Android');

  await phone.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(phone).toHaveURL(/\/login/);
  await laptop.reload();
  await expect(laptop.getByRole('heading', { name: /Ada/ })).toBeVisible();
  await expect(laptop.getByRole('list', { name: 'Your devices' }).getByRole('listitem')).toHaveCount(1);
});

test('"Sign out other devices" signs the others out and keeps this one', async ({ browser }) => {
  const phone = await signedInDevice(browser, PHONE_UA);
  const laptop = await signedInDevice(browser, LAPTOP_UA);

  await laptop.getByRole('button', { name: 'Sign out other devices' }).click();
  await expect(laptop.getByRole('list', { name: 'Your devices' }).getByRole('listitem')).toHaveCount(1);
  await expect(laptop.getByRole('heading', { name: /Ada/ })).toBeVisible();
  await phone.goto('/account');
  await expect(phone).toHaveURL(/\/login\?next=(%2F|\/)account$/);
});

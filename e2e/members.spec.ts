import type { Page } from '@playwright/test';

import { ADA, emulator, expect, LAPTOP_UA, PHONE_UA, signedInDevice, stack, test } from './fixtures';
import { resetLimits } from '../tests/support/limits';

// The members area: read on the server as the person (the list) and by a client component through
// the pass-through (the picture).
test.beforeEach(() => Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]));

async function expectMembersArea(page: Page) {
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  const news = page.getByRole('list', { name: 'Member news' }).getByRole('listitem');
  await expect(news).toHaveCount(3);
  await expect(news.first()).toContainText('Welcome to the members area');
  // Ada's own note, never the admin's, although Directus would give her both.
  await expect(page.getByRole('list', { name: 'Your notes' }).getByRole('listitem')).toHaveText(['Your membership renews on 1 March.']);
  const picture = page.getByRole('img', { name: 'Welcome to the members area' });
  await expect(picture).toBeVisible();
  // Loaded for real, through /api/directus/assets/…: the seeded picture is 240 pixels wide.
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(240);
}

test('a signed-out visitor of /members signs in and lands there, with the news and the picture', async ({ page, login }) => {
  await page.goto('/members');
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)members$/);
  await login.country().selectOption('GB');
  await login.phone().fill('07400 123456');
  await login.button('Send code').click();
  await expect(login.code()).toBeFocused(); // the code has been sent
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/members$/);
  await expectMembersArea(page);
});

test('/account links to the members area', async ({ browser }) => {
  const page = await signedInDevice(browser, PHONE_UA);
  await page.getByRole('link', { name: 'Members area' }).click();
  await expect(page).toHaveURL(/\/members$/);
  await expectMembersArea(page);
});

test('signed out from another device, /members sends this one to /login', async ({ browser }) => {
  const phone = await signedInDevice(browser, PHONE_UA);
  await phone.goto('/members');
  await expectMembersArea(phone);

  const laptop = await signedInDevice(browser, LAPTOP_UA);
  await laptop.getByRole('button', { name: 'Sign out other devices' }).click();
  await expect(laptop.getByRole('list', { name: 'Your devices' }).getByRole('listitem')).toHaveCount(1);

  await phone.goto('/members');
  await expect(phone).toHaveURL(/\/login\?next=(%2F|\/)members$/);
});

import { LOCAL_STACK } from '../lib/local-stack';
import { TEST_PORTS } from '../dev/stack/test-ports';
import { directusUrl, emulator, expect, test, againstAppWith } from './fixtures';

// An instance of the app with SIGN_UP=open beside the stack's (whose sign-up is closed).
againstAppWith(TEST_PORTS.app + 16, { SIGN_UP: 'open' });

const NEW_NUMBER = { national: '07400 955123', e164: '+447400955123' };

async function memberWithPhone(phone: string): Promise<{ first_name: string | null; role: string } | undefined> {
  const response = await fetch(`${directusUrl}/users?filter[phone][_eq]=${encodeURIComponent(phone)}&fields=first_name,role`, {
    headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}` },
  });
  return ((await response.json()) as { data: { first_name: string | null; role: string }[] }).data[0];
}

test('a newcomer signs up with their number, gives a first name, and reaches their account', async ({ login, page }) => {
  await login.requestCode(NEW_NUMBER.national, { path: '/login?next=/members' });
  await login.code().pressSequentially(await emulator.latestCode(NEW_NUMBER.e164));

  // Protected pages send them to the first-name step, which then sends them on.
  await expect(page).toHaveURL(/\/welcome\?next=%2Fmembers$/);
  const firstName = page.getByLabel('First name');
  await expect(firstName).toBeFocused();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(login.alert()).toHaveText('Enter your first name.');
  await expect(firstName).toHaveAttribute('aria-invalid', 'true');
  await page.goto('/account');
  await expect(page).toHaveURL(/\/welcome\?next=%2Faccount$/);

  await page.getByLabel('First name').fill('Grace');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Grace');
  expect(await memberWithPhone(NEW_NUMBER.e164)).toEqual({ first_name: 'Grace', role: LOCAL_STACK.directus.memberRoleId });
  await page.goto('/welcome');
  await expect(page).toHaveURL(/\/account$/);
});

import { TEST_PORTS } from '../dev/stack/test-ports';
import { expectNoAxeViolations } from './axe';
import { againstAppWith, expect, test } from './fixtures';

// An instance of the app branded by its three settings, beside the stack's unbranded one.
const LOGO_ORIGIN = 'https://cdn.example.com';
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="18" fill="#ffd60a"/></svg>`;
againstAppWith(TEST_PORTS.app + 16, {
  APP_NAME: 'Acme Rowing Club',
  APP_LOGO_URL: `${LOGO_ORIGIN}/brand/acme.svg`,
  // A light accent: buttons need dark text on it, and links a darker shade of it.
  APP_ACCENT_COLOR: '#FFD60A',
});

test.beforeEach(async ({ page }) => {
  // The logo's host, and one other host, answered by the test instead of the network.
  await page.route(/^https:\/\/(cdn|elsewhere)\.example\.com\//, (route) => route.fulfill({ contentType: 'image/svg+xml', body: LOGO }));
});

test("the name, the logo and the accent brand the pages, and the logo's origin alone is allowed", async ({ login, page }) => {
  const response = await page.goto('/login');
  await expect(page).toHaveTitle('Sign in · Acme Rowing Club');
  await expect(page.getByRole('banner')).toContainText('Acme Rowing Club');
  const imgSrc = /img-src ([^;]*)/.exec(response!.headers()['content-security-policy'] ?? '')?.[1];
  expect(imgSrc).toBe(`'self' ${LOGO_ORIGIN}`);
  const logo = page.locator('header img');
  await expect(logo).toHaveAttribute('alt', '');
  await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);

  const button = await login.button('Send code').evaluate((element) => {
    const style = getComputedStyle(element);
    return [style.backgroundColor, style.color];
  });
  expect(button).toEqual(['rgb(255, 214, 10)', 'rgb(0, 0, 0)']);

  // An image from any other host is refused by the policy.
  const refused = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true });
        const image = document.createElement('img');
        image.src = 'https://elsewhere.example.com/x.svg';
        document.body.append(image);
      }),
  );
  expect(refused).toBe('img-src');
});

test('the branded pages pass axe in both schemes', async ({ login, page }) => {
  await page.goto('/login');
  await login.button('Send code').click();
  await expect(login.alert()).not.toBeEmpty();
  await expectNoAxeViolations(page, 'branded phone step');
  // "Change number" is an outlined button: the accent as text.
  await login.requestCode('07400 123456');
  await expectNoAxeViolations(page, 'branded code step');
});

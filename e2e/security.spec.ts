import type { Page } from '@playwright/test';

import { ADA, emulator, expect, test, watchForProblems } from './fixtures';

/** Opens a page on another origin (answered by Playwright, never the network) that frames `url`. */
async function frameOnAnotherSite(page: Page, url: string) {
  await page.route('http://evil.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<iframe src="${url}" onload="document.title = 'frame loaded'"></iframe>`,
    }),
  );
  await page.goto('http://evil.test/');
  await expect(page).toHaveTitle('frame loaded');
  return page.frameLocator('iframe');
}

test.describe('framing', () => {
  test('another site cannot frame the login page', async ({ page, baseURL }) => {
    const frame = await frameOnAnotherSite(page, `${baseURL}/login`);
    await expect(frame.getByLabel('Phone number')).toHaveCount(0);
  });

  test('(control) the same page without its security headers would render in the frame', async ({ page, baseURL }) => {
    await page.route(`${baseURL}/login`, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      delete headers['x-frame-options'];
      await route.fulfill({ response, headers });
    });
    const frame = await frameOnAnotherSite(page, `${baseURL}/login`);
    await expect(frame.getByLabel('Phone number')).toBeVisible();
  });
});

test('a whole sign-in and sign-out runs under the CSP with no violation and no console error', async ({ login, page }) => {
  const seen = await watchForProblems(page);
  await login.requestCode('07400 123456');
  await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
  await expect(page.getByRole('heading', { name: /Ada/ })).toBeVisible();
  await login.signOut().click();
  await expect(login.phone()).toBeVisible();

  expect(seen.policies.length).toBeGreaterThanOrEqual(3);
  for (const policy of seen.policies) expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(seen.violations).toEqual([]);
  expect(seen.messages).toEqual([]);
});

test('an injected inline event handler does not run', async ({ page }) => {
  const seen = await watchForProblems(page);
  await page.goto('/login');
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<button id="injected" onclick="window.injectedRan = true">x</button>');
    document.getElementById('injected')!.click();
  });
  await expect.poll(() => seen.violations).toEqual([expect.stringMatching(/^script-src-attr blocked inline/)]);
  expect(await page.evaluate(() => 'injectedRan' in window)).toBe(false);
});

// The first four resolve to "//evil.example", which a browser would read as another site.
for (const [next, landsOn] of [
  ['/.//evil.example', '/account'],
  ['/%2e//evil.example', '/account'],
  ['/..//evil.example', '/account'],
  ['/a/..//evil.example', '/account'],
  // The API is no page: a file from the pass-through would open there as one of this site's.
  ['/api/directus/items/member_news', '/account'],
  ['/%61pi/directus/items/member_news', '/account'],
  ['/account?tab=1', '/account?tab=1'],
] as const) {
  test(`after signing in from /login?next=${next} the person lands on ${landsOn}`, async ({ login, page, baseURL }) => {
    await login.requestCode('07400 123456', {
      path: `/login?next=${encodeURIComponent(next)}`,
    });
    await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
    await expect(page).toHaveURL(`${baseURL}${landsOn}`);
  });
}

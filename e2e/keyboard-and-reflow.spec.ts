import type { Locator, Page } from '@playwright/test';

import { ADA, emulator, expect, test } from './fixtures';

/** A focused control shows a ring: an outline at least 2 px wide, not `none`. */
async function expectVisibleFocus(control: Locator) {
  await expect(control).toBeFocused();
  const outline = await control.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

async function tab(page: Page, to: Locator, { back = false } = {}) {
  await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  await expectVisibleFocus(to);
}

test('a person signs in, reaches the members area and signs out with the keyboard alone', async ({ login, page }) => {
  await page.goto('/login');
  await expect(login.button('Send code')).toBeEnabled();
  // Until the page has hydrated the switcher is disabled, and Tab rightly skips it.
  await expect(page.getByLabel('Language')).toBeEnabled();
  // The header's language switcher comes first on every page.
  await tab(page, page.getByLabel('Language'));
  await tab(page, login.country());
  await page.keyboard.type('United Kingdom'); // a closed select picks by typed name
  await expect(login.country()).toHaveValue('GB');
  await tab(page, login.phone());
  await page.keyboard.type('07400 123456');
  await tab(page, login.country(), { back: true });
  await tab(page, login.phone());
  await tab(page, login.button('Send code'));
  await page.keyboard.press('Enter');

  await expect(login.code()).toBeFocused();
  await page.keyboard.type(await emulator.latestCode(ADA.phone));
  await expect(page).toHaveURL(/\/account$/);
  // Until the page has hydrated the switcher is disabled, and Tab rightly skips it.
  await expect(page.getByLabel('Language')).toBeEnabled();

  const membersLink = page.getByRole('link', { name: 'Members area' });
  await tab(page, page.getByLabel('Language'));
  await tab(page, membersLink);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/members$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/account$/);
  await expect(login.signOut()).toBeEnabled();
  await membersLink.focus();
  await tab(page, login.signOut());
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/login/);
});

test('every control of the code step shows its focus', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  await expectVisibleFocus(login.code());
  await tab(page, login.button('Verify'));
  // The resend buttons are disabled during the countdown, so Tab skips to the next one.
  await tab(page, login.button('Change number'));
  await expect(login.button('Resend code')).toBeEnabled({ timeout: 10_000 });
  await tab(page, login.button('Call me instead'), { back: true });
  await tab(page, login.button('Resend code'), { back: true });
});

test('the countdown is not read out as it ticks: a screen reader hears once that resending is possible', async ({ login, page }) => {
  await login.requestCode('07400 123456');
  // Every change of text inside a live region from here on, as a screen reader would be told it.
  await page.evaluate(() => {
    const live =
      '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"], [role="timer"], [role="marquee"], output';
    const announced: string[] = [];
    Object.assign(window, { announced });
    new MutationObserver((mutations) => {
      const regions = new Set(mutations.map((m) => (m.target instanceof Element ? m.target : m.target.parentElement)?.closest(live)));
      for (const region of regions) if (region?.textContent?.trim()) announced.push(region.textContent.trim());
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const resend = login.button('Resend code');
  const first = await resend.textContent();
  await expect(resend).not.toHaveText(first ?? '');
  await expect(resend).toBeEnabled({ timeout: 10_000 });
  const announced = await page.evaluate(() => (window as unknown as { announced: string[] }).announced);
  // The delivery's progress is news worth one announcement per change; the countdown is not.
  expect(announced.filter((text) => !['Sent', 'Delivered'].includes(text))).toEqual(['You can resend the code now.']);
  expect(new Set(announced).size, 'nothing is announced twice').toBe(announced.length);
  expect(await resend.evaluate((button) => button.closest('[aria-live], [role="status"], [role="alert"], [role="timer"]'))).toBeNull();
});

/** Nothing scrolls sideways, and every control lies inside the viewport's width. */
async function expectReflow(page: Page, where: string) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = Array.from(document.querySelectorAll('button, input, select, a'))
      .filter((control) => {
        const box = control.getBoundingClientRect();
        return box.width > 0 && (box.left < 0 || box.right > width + 0.5);
      })
      .map((control) => control.outerHTML.slice(0, 80));
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, outside };
  });
  expect(overflow.scrollWidth, where).toBeLessThanOrEqual(overflow.clientWidth);
  expect(overflow.outside, where).toEqual([]);
}

// 320 CSS px is a 1280 px window at 400% (WCAG 1.4.10); 640 px is 200% of 1280 px.
for (const viewport of [
  { width: 320, height: 640 },
  { width: 640, height: 360 },
]) {
  test(`at ${viewport.width} px wide every step fits without scrolling sideways`, async ({ login, page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/login');
    await expectReflow(page, 'phone step');
    await login.button('Send code').click();
    await expect(login.alert()).not.toBeEmpty();
    await expectReflow(page, 'phone step with an error');
    await login.requestCode('07400 123456');
    await expectReflow(page, 'code step');
    await login.code().pressSequentially(await emulator.latestCode(ADA.phone));
    await expect(page).toHaveURL(/\/account$/);
    await expectReflow(page, '/account');
    await page.goto('/members');
    await expect(page.getByRole('img', { name: 'Welcome to the members area' })).toBeVisible();
    await expectReflow(page, '/members');
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });

  test('at 320 px wide the login page, with the language button, fits without scrolling sideways', async ({ login, page }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Change language' })).toBeVisible();
    await expectReflow(page, 'phone step without JavaScript');
    await login.phone().fill('+44 7400 123456');
    await login.button('Send code').click();
    await expect(login.code()).toBeVisible();
    await expectReflow(page, 'code step without JavaScript');
  });
});

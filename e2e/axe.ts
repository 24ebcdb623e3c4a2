import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// WCAG 2.1 level A and AA: the success criteria axe can check by itself.
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * What axe finds on the page as it is now, once in the light and once in the dark scheme.
 * `exclude`: selectors of what is not ours (Next's development tools).
 */
export async function expectNoAxeViolations(page: Page, where: string, { exclude = [] }: { exclude?: string[] } = {}) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await exclude
      .reduce((axe, selector) => axe.exclude(selector), new AxeBuilder({ page }).withTags(WCAG_21_AA))
      .analyze();
    const found = violations.map(
      (violation) => `${violation.id} (${violation.help}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
    expect(found, `${where}, ${colorScheme} scheme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

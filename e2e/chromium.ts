// Playwright cannot download its own browsers here: it drives Debian's, which match
// @playwright/test 1.64.x (Chromium 156).

/**
 * The browser tests' Chromium: its headless shell (`apt-get install chromium-headless-shell`), the
 * build Playwright itself runs headless tests in. The full browser, run headless, took about two
 * fifths more CPU for the same tests, and `npm test` is bound by the cores (docs/testing.md).
 */
export const headlessShellPath = process.env.CHROMIUM_HEADLESS_SHELL_PATH ?? '/usr/lib/chromium/chromium-headless-shell';

/** The full browser (`apt-get install chromium`): the bench loads pages in it, as a person's browser does. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Playwright cannot download its own browser here: it drives Debian's Chromium
// (`apt-get install chromium`), which matches @playwright/test 1.64.x (Chromium 156).
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

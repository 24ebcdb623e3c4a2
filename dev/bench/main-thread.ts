// The browser's main-thread work on a page as a slow phone would load it: Chromium with the CPU
// slowed four times and the network of Lighthouse's mobile default (its "devtools" throttling),
// measured through the DevTools protocol, so the figure can be rerun without Lighthouse.
import { chromium, devices, type Browser, type Page } from '@playwright/test';

import { chromiumPath } from '../../e2e/chromium';
import type { TestStack } from '../stack/test-stack';
import { quantile } from './stats';

/** Lighthouse's mobile profile: 4x CPU slowdown; slow 4G as its devtools throttling applies it. */
const CPU_SLOWDOWN = 4;
const NETWORK = { offline: false, latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };
/** A long task is one over 50 ms; the time past 50 ms blocks input (Total Blocking Time). */
const LONG_TASK_MS = 50;
/** The page counts as settled after this long without a long task or a request. */
const QUIET_MS = 2_000;

type Load = { fcp: number; tbt: number; settled: number; script: number; task: number };
/** What the page's observers saw: its first contentful paint and its long tasks. */
type Seen = { fcp: number; tasks: { start: number; duration: number }[] };
const seenIn = (page: Page) => page.evaluate(() => (window as unknown as { __mainThread: Seen }).__mainThread);

async function loadOnce(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ ...devices['Pixel 7'], viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: Seen = { fcp: 0, tasks: [] };
      (window as unknown as { __mainThread: Seen }).__mainThread = seen;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.tasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') seen.fcp = entry.startTime;
      }).observe({ type: 'paint', buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    // Wait until nothing long has run for a while: hydration and lazy chunks are done.
    for (let quiet = false; !quiet;) {
      const before = (await seenIn(page)).tasks.length;
      await page.waitForTimeout(QUIET_MS);
      quiet = before === (await seenIn(page)).tasks.length;
    }
    const seen = await seenIn(page);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    const afterPaint = seen.tasks.filter((task) => task.start >= seen.fcp);
    return {
      fcp: seen.fcp,
      tbt: afterPaint.reduce((sum, task) => sum + Math.max(0, task.duration - LONG_TASK_MS), 0),
      settled: Math.max(seen.fcp, ...seen.tasks.map((task) => task.start + task.duration)),
      script: metric('ScriptDuration'),
      task: metric('TaskDuration'),
    };
  } finally {
    await context.close();
  }
}

export async function measureMainThread(stack: TestStack, runs: number) {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const pages = { '/login': [] as Load[], 'a page with no client code': [] as Load[] };
    for (let run = 0; run < runs; run++) {
      pages['/login'].push(await loadOnce(browser, `${stack.appUrl}/login`));
      pages['a page with no client code'].push(await loadOnce(browser, `${stack.appUrl}/no-such-page`));
    }
    const median = (loads: Load[], key: keyof Load) =>
      `${Math.round(
        quantile(
          loads.map((load) => load[key]),
          0.5,
        ),
      )}`.padStart(6);
    return [
      `Main-thread work in Chromium, CPU ${CPU_SLOWDOWN}x slower, slow 4G (Lighthouse's mobile throttling), median of ${runs} loads, ms:`,
      '  page                          FCP    TBT  settled  script   tasks',
      ...Object.entries(pages).map(
        ([name, loads]) =>
          `  ${name.padEnd(28)}${median(loads, 'fcp')}${median(loads, 'tbt')}   ${median(loads, 'settled')}  ${median(loads, 'script')}  ${median(loads, 'task')}`,
      ),
      '  (TBT: long tasks past 50 ms after the first paint; settled: the end of the last long task;',
      '   script and tasks: the main thread busy running scripts, and at all, in the whole load)',
    ].join('\n');
  } finally {
    await browser.close();
  }
}

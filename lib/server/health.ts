import 'server-only';

import { getEnv } from './env';
import { checkExtension } from './extension-health';
import { logEvent } from './log';
import { getSignInDeps } from './sign-in-deps';

type Check = 'ok' | 'unavailable';
type Report = { status: number; body: unknown };

const CACHE_MS = 5_000;
let last: { at: number; report: Promise<Report> } | undefined;

/**
 * Whether Directus, the sms-sign-in extension (with the `session` strategy) and the SMS provider
 * answer. Results are shared for a few seconds so a busy probe (or anyone on the internet) cannot
 * turn /api/health into a flood of upstream calls.
 */
export function checkHealth(): Promise<Report> {
  if (!last || Date.now() - last.at > CACHE_MS) {
    const report = probe();
    last = { at: Date.now(), report };
    // Never keep a failure of our own (a bad configuration) for others to trip over.
    report.catch(() => {
      if (last?.report === report) last = undefined;
    });
  }
  return last.report;
}

async function probe(): Promise<Report> {
  const env = getEnv();
  const { directory, verifier } = getSignInDeps();
  const extension = env.DIRECTUS_CREDENTIALS === 'session' ? checkExtension(env) : undefined;
  const [directus, sms] = await Promise.all([directory.ping(), verifier.ping()].map(outcome));
  const extensionHealth = await extension;
  // Why the extension fails is the operator's to read in the log: anyone may ask /api/health.
  if (extensionHealth !== undefined && extensionHealth !== 'ok') {
    logEvent({ route: 'health' }, { outcome: 'upstream_unavailable', reason: `sms-sign-in extension: ${extensionHealth}` });
  }
  const checks = {
    directus,
    ...(extensionHealth === undefined ? {} : { extension: extensionHealth === 'ok' ? 'ok' : 'unavailable' }),
    sms,
  };
  const failed = Object.entries(checks).flatMap(([name, check]) => (check === 'ok' ? [] : [name]));
  if (failed.length === 0) return { status: 200, body: { status: 'ok', checks } };
  return {
    status: 503,
    body: {
      error: { code: 'upstream_unavailable', message: `Not available: ${failed.join(' and ')}.`, failed },
      checks,
    },
  };
}

async function outcome(check: Promise<void>): Promise<Check> {
  try {
    await check;
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

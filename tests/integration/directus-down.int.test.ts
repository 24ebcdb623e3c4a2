import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startLocalDirectus, type LocalDirectus } from '../../dev/directus/index';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { extensionSettings } from '../support/directus';
import { emulatorControl } from '../support/emulator';
import { apiClient } from './api-client';

// A Directus of its own, so it can be stopped and started again under a running app.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const port = TEST_PORTS.directus + 3;
const dataDir = mkdtempSync(join(tmpdir(), 'directus-down-'));
let directus: LocalDirectus;
let app: AppInstance;

beforeAll(async () => {
  directus = await startLocalDirectus({ port, dataDir, fresh: true, log: () => undefined, ...extensionSettings(stack) });
  // Limits in this instance's memory, away from the shared Redis other tests reset: production
  // allows that only when told that this is the one instance.
  const env = Object.fromEntries(Object.entries(stack.appEnv).filter(([name]) => name !== 'REDIS_URL'));
  app = await startApp(TEST_PORTS.app + 3, { ...env, SINGLE_INSTANCE: 'true', DIRECTUS_URL: directus.url, OTP_RESEND_AFTER_SECONDS: '0' });
});

afterAll(async () => {
  await app?.stop();
  await directus?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Directus down', () => {
  it('answers 503 upstream_unavailable everywhere it is needed, then recovers cleanly', async () => {
    await emulator.reset();
    const api = apiClient(app.url);
    expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    const code = await emulator.latestCode(ADA);

    await directus.stop();
    const started = Date.now();
    const start = await api.post('/api/auth/start', { phone: ADA });
    expect(start.status).toBe(503);
    expect(start.body).toEqual({ error: { code: 'upstream_unavailable', message: expect.any(String) } });
    expect(Date.now() - started).toBeLessThan(5_000);
    const verify = await api.post('/api/auth/verify', { code });
    expect(verify.status).toBe(503);
    expect(verify.body.error.code).toBe('upstream_unavailable');
    await new Promise((resolve) => setTimeout(resolve, 5_100)); // past the health cache
    const health = await api.get('/api/health');
    expect(health.status).toBe(503);
    // The extension lives in Directus: down with it.
    expect(health.body.error.failed).toEqual(['directus', 'extension']);

    directus = await startLocalDirectus({ port, dataDir, log: () => undefined, ...extensionSettings(stack) });
    // Plivo verified the code before Directus failed, so that code is spent: ask for a new one.
    expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    const signedIn = await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.first_name).toBe('Ada');
  }, 120_000); // Directus stopped and started again

  it('without JavaScript, /account says why its form post failed, in words, while Directus is down', async () => {
    await emulator.reset();
    const api = apiClient(app.url);
    expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    expect((await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA) })).status).toBe(200);

    await directus.stop();
    try {
      const posted = await api.request('POST', '/api/auth/form', {
        raw: new URLSearchParams({ intent: 'sign-out-others' }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      });
      expect(posted.status).toBe(303);
      const page = posted.headers.get('location')!;
      expect(page).toBe('/account?error=upstream_unavailable');
      const shown = await api.get(page);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatch(/<p role="alert"[^>]*>Sign-in is temporarily unavailable\. Please try again in a moment\.<\/p>/);
    } finally {
      directus = await startLocalDirectus({ port, dataDir, log: () => undefined, ...extensionSettings(stack) });
    }
  }, 120_000);
});

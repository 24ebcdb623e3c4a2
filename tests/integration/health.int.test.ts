// GET /api/health sees the sms-sign-in extension as the app uses it: with the app's own key, as
// the setup command probes it. A wrong DIRECTUS_EXTENSION_KEY makes every sign-in start a 503,
// so health must say so too; an anonymous caller learns which component failed, nothing more,
// and the log says why.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { apiClient } from './api-client';

const stack = inject('stack');
const WRONG_KEY = 'a-wrong-extension-key-that-is-long-enough-0123456789';
let wrongKey: AppInstance;

beforeAll(async () => {
  wrongKey = await startApp(
    TEST_PORTS.app + 18,
    { ...stack.appEnv, DIRECTUS_EXTENSION_KEY: WRONG_KEY },
    { ready: (response) => response.status === 503 },
  );
});

afterAll(async () => {
  await wrongKey?.stop();
});

describe('GET /api/health and the extension', () => {
  it('is ok with the right key, the extension among the checks', async () => {
    const response = await apiClient(stack.appUrl).get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { directus: 'ok', extension: 'ok', sms: 'ok' } });
  });

  it('is 503 naming the extension when Directus refuses the app key, and the log says the key was refused', async () => {
    const response = await apiClient(wrongKey.url).get('/api/health');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      error: { code: 'upstream_unavailable', message: expect.any(String), failed: ['extension'] },
      checks: { directus: 'ok', extension: 'unavailable', sms: 'ok' },
    });
    // Nothing of why for an anonymous caller.
    expect(JSON.stringify(response.body)).not.toMatch(/key|refused|configured|loaded/i);
    expect(wrongKey.logs.join('\n')).toMatch(/key_refused/);
    expect(wrongKey.logs.join('\n')).not.toContain(WRONG_KEY);
    // What the health check saw is what sign-in meets.
    const start = await apiClient(wrongKey.url).post('/api/auth/start', { phone: '+447400123456' });
    expect(start.status).toBe(503);
  });

  it('the static strategy, which needs no extension, does not check it', async () => {
    const response = await apiClient(stack.staticAppUrl).get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { directus: 'ok', sms: 'ok' } });
  });
});

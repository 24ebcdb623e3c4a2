import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { emulatorControl } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { apiClient } from './api-client';

// OTP_CODE_LENGTH is one setting: what Plivo is asked for and what the login page's field takes.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const apps: Record<string, AppInstance> = {};

beforeAll(async () => {
  const [four, eight] = await Promise.all([
    startApp(TEST_PORTS.app + 13, { ...stack.appEnv, OTP_CODE_LENGTH: '4' }),
    startApp(TEST_PORTS.app + 14, { ...stack.appEnv, OTP_CODE_LENGTH: '8' }),
  ]);
  Object.assign(apps, { 4: four, 8: eight });
});

afterAll(async () => {
  await Promise.all(Object.values(apps).map((app) => app.stop()));
});

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

describe.each([4, 8])('with OTP_CODE_LENGTH=%i', (length) => {
  it(`sends ${length}-digit codes and signs in with one`, async () => {
    const api = apiClient(apps[length]!.url);
    expect((await api.post('/api/auth/start', { phone: ADA })).status).toBe(200);
    const code = await emulator.latestCode(ADA);
    expect(code).toMatch(new RegExp(`^\\d{${length}}$`));
    const verified = await api.post('/api/auth/verify', { code });
    expect([verified.status, verified.body.status]).toEqual([200, 'signed_in']);
  });

  it("gives the login page's code field that many digits", async () => {
    const page = await apiClient(apps[length]!.url).get('/login');
    // The flow's props travel in the page's flight data; no server env reaches the client's own JS.
    expect(String(page.body)).toMatch(new RegExp(`\\\\"codeLength\\\\":${length}\\b`));
  });
});

import { readFileSync } from 'node:fs';

import { beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { directusStatusFor } from '../support/directus';
import { emulatorControl, wrongCodeFor } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { credentialIn } from '../support/session';
import { apiClient } from './api-client';

const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;

async function signedIn(appUrl = stack.appUrl) {
  const api = apiClient(appUrl);
  await api.post('/api/auth/start', { phone: ADA });
  const code = await emulator.latestCode(ADA);
  await api.post('/api/auth/verify', { code: wrongCodeFor(code) });
  expect((await api.post('/api/auth/verify', { code })).status).toBe(200);
  const sealed = api.cookie!.split('=').slice(1).join('=');
  const token = (await credentialIn(sealed, stack.appEnv.SESSION_SECRET!))!;
  return { api, code, token, cookie: sealed };
}

async function admin(path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.directusUrl}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}`, 'Content-Type': 'application/json' },
  });
  return (await response.json()) as { data: Record<string, unknown> };
}

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

// Static tokens have no lifetime of their own: the app gives them one and sweeps them.
describe('static credential lifecycle', () => {
  it('rotates the credential at every sign-in and gives it the session lifetime', async () => {
    const first = await signedIn(stack.staticAppUrl);
    await resetLimits(stack.redisUrl);
    const second = await signedIn(stack.staticAppUrl);
    expect(second.token).not.toBe(first.token);
    expect(second.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await directusStatusFor(stack.directusUrl, first.token)).toBe(401);
    const { data } = await admin(`/users?filter[phone][_eq]=${encodeURIComponent(ADA)}&fields=token_expires_at`);
    const [user] = data as unknown as { token_expires_at: string }[];
    const lifetime = Date.parse(user!.token_expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(30 * 86_400_000 - 120_000);
    expect(lifetime).toBeLessThanOrEqual(30 * 86_400_000);
  });

  it('the cron route sweeps expired credentials, and only with the CRON_SECRET bearer', async () => {
    const { token } = await signedIn(stack.staticAppUrl);
    const { data } = await admin(`/users?filter[phone][_eq]=${encodeURIComponent(ADA)}&fields=id`);
    const id = (data as unknown as { id: string }[])[0]!.id;
    await admin(`/users/${id}`, { method: 'PATCH', body: JSON.stringify({ token_expires_at: new Date(Date.now() - 1000).toISOString() }) });

    const sweep = (authorization?: string) =>
      fetch(`${stack.staticAppUrl}/api/cron/sweep-tokens`, { headers: authorization ? { Authorization: authorization } : {} });
    expect((await sweep()).status).toBe(401);
    expect((await sweep('Bearer wrong-secret-wrong-secret')).status).toBe(401);
    expect(await directusStatusFor(stack.directusUrl, token)).toBe(200);

    const swept = await sweep(`Bearer ${stack.appEnv.CRON_SECRET}`);
    expect(swept.status).toBe(200);
    expect(await swept.json()).toEqual({ status: 'ok', swept: 1 });
    expect(await directusStatusFor(stack.directusUrl, token)).toBe(401);
  });

  it('refuses to replay a verification that was used', async () => {
    const api = apiClient(stack.appUrl);
    await api.post('/api/auth/start', { phone: ADA });
    const pending = api.cookie;
    const code = await emulator.latestCode(ADA);
    expect((await api.post('/api/auth/verify', { code })).status).toBe(200);
    api.cookie = pending;
    const replay = await api.post('/api/auth/verify', { code });
    expect(replay.status).toBe(410);
    expect(replay.body.error.code).toBe('code_expired');
  });
});

describe('logs', () => {
  it('have one line per auth event with a masked phone, and never a code, token or cookie', async () => {
    const { api, code, token, cookie } = await signedIn();
    await api.post('/api/auth/logout', {});
    const log = readFileSync(stack.appLog, 'utf8');
    expect(log).not.toContain(code);
    expect(log).not.toContain(token);
    expect(log).not.toContain(cookie.slice(0, 40));
    expect(log).not.toContain(ADA);
    expect(log).not.toContain(ADA.slice(1));
    const events = log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string; outcome: string; phone?: string });
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'start', outcome: 'ok', phone: '+44******456' }),
        expect.objectContaining({ event: 'verify', outcome: 'invalid_code', phone: '+44******456' }),
        expect.objectContaining({ event: 'verify', outcome: 'ok' }),
        expect.objectContaining({ event: 'logout', outcome: 'ok' }),
      ]),
    );
  });
});

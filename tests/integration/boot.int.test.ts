import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { bootWith } from '../support/boot';
import { apiClient } from './api-client';

const stack = inject('stack');

describe('production start-up', () => {
  it.each([
    ['a weak session secret', { SESSION_SECRET: LOCAL_STACK.sessionSecret }, /SESSION_SECRET/],
    ['a missing Directus URL', { DIRECTUS_URL: '' }, /DIRECTUS_URL/],
    ['no country allow-list', { ALLOWED_COUNTRIES: '' }, /ALLOWED_COUNTRIES/],
    ['no say on who writes client addresses', { TRUST_PROXY: '' }, /TRUST_PROXY/],
    [
      'TRUST_PROXY=direct without the client-address preload',
      { TRUST_PROXY: 'direct' },
      /TRUST_PROXY: "direct" needs the client-address preload/,
    ],
    ['no REDIS_URL and no word that one instance runs', { REDIS_URL: '' }, /REDIS_URL: required in production[^\n]*SINGLE_INSTANCE=true/],
    [
      'SINGLE_INSTANCE on Vercel',
      { REDIS_URL: '', SINGLE_INSTANCE: 'true', VERCEL: '1' },
      /SINGLE_INSTANCE: not accepted on Vercel[^\n]*REDIS_URL/,
    ],
    [
      "a test number that is no member's",
      { TEST_PHONE_NUMBERS: '+447400999888=424242' },
      /TEST_PHONE_NUMBERS: \+44\*{6}888 belongs to no active member/,
    ],
  ])('refuses to run with %s, naming the variable', async (_label, env, message) => {
    const { exit, output } = await bootWith(stack, env);
    expect(exit).toBe(1);
    expect(output).toMatch(message);
    expect(output).not.toContain(stack.appEnv.SESSION_SECRET);
  });

  it('ships no server secret, local credential or server module in client JavaScript', () => {
    const dir = join(import.meta.dirname, '..', '..', '.next', 'static');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files.length).toBeGreaterThan(0);
    const client = files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    for (const secret of [
      LOCAL_STACK.sessionSecret,
      LOCAL_STACK.plivo.authToken,
      LOCAL_STACK.directus.serviceToken,
      LOCAL_STACK.directus.adminToken,
    ]) {
      expect(client).not.toContain(secret);
    }
    for (const serverName of ['DIRECTUS_TOKEN', 'PLIVO_AUTH_TOKEN', 'SESSION_SECRET', 'iron-session', 'ioredis']) {
      expect(client).not.toContain(serverName);
    }
  });

  it('serves no developer inbox in a production build', async () => {
    const response = await apiClient(stack.appUrl).get('/dev/inbox');
    expect(response.status).toBe(404);
  });
});

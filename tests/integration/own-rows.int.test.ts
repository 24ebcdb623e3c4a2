// Per-person rows on unlicensed Directus (the local stack's): the member policy cannot carry a row
// filter, so its read of member_notes is every note; /members shows the person theirs only,
// through readOwnRows (lib/server/own-rows.ts), and the default pass-through hands out none.
import { describe, expect, inject, it } from 'vitest';

import { NOTES, NOTES_COLLECTION } from '@/dev/directus/seed-members';
import { LOCAL_STACK } from '@/lib/local-stack';
import { emulatorControl } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { apiClient } from './api-client';

const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember;

async function asAdmin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.directusUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => null)) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } | null,
  };
}

async function signIn() {
  const api = apiClient(stack.appUrl);
  await resetLimits(stack.redisUrl);
  expect((await api.post('/api/auth/start', { phone: ADA.phone })).status).toBe(200);
  expect((await api.post('/api/auth/verify', { code: await emulator.latestCode(ADA.phone) })).status).toBe(200);
  return api;
}

describe('per-person rows on unlicensed Directus', () => {
  it('refuses a row filter on the member policy (403 RESOURCE_RESTRICTED): a member may read every note', async () => {
    const [policy] = ((
      await asAdmin('GET', `/permissions?fields=policy&filter[collection][_eq]=${NOTES_COLLECTION}&filter[action][_eq]=read`)
    ).body?.data ?? []) as { policy: string }[];
    expect(policy).toBeDefined();
    const scoped = await asAdmin('POST', '/permissions', {
      policy: policy!.policy,
      collection: NOTES_COLLECTION,
      action: 'update',
      fields: ['*'],
      permissions: { owner: { _eq: '$CURRENT_USER' } },
    });
    expect(scoped.status).toBe(403);
    expect(scoped.body?.errors?.[0]?.extensions?.code).toBe('RESOURCE_RESTRICTED');
  });

  it("shows the person their own notes on /members, never another person's", async () => {
    const api = await signIn();
    const page = await api.get('/members');
    expect(page.status).toBe(200);
    expect(page.body).toContain(NOTES.demoMember);
    expect(page.body).not.toContain(NOTES.admin);
    // What the person's own credential could read, and the app never shows: everyone's notes.
    const everyone = await api.get(`/api/directus/items/${NOTES_COLLECTION}?fields=text`);
    expect(everyone.status).toBe(200);
    expect(JSON.stringify(everyone.body)).toContain(NOTES.admin);
  });
});

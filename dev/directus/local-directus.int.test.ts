// Starts a real local Directus (fresh data in a temp dir) for both credential strategies and checks
// what the app relies on.
import { createDirectus, readUsers, rest, staticToken, updateUser } from '@directus/sdk';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK } from '../../lib/local-stack';
import { TEST_PORTS } from '../stack/test-ports';
import { serviceTokenOf, startLocalDirectus, type LocalDirectus } from './index';

const PORT = TEST_PORTS.directus + 10;
let dataDir: string;
let directus: LocalDirectus;
const lines: string[] = [];

type Member = {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  status: string;
  token_expires_at: string | null;
};
type Schema = { directus_users: Member[] };

const service = () =>
  createDirectus<Schema>(directus.url)
    .with(staticToken(serviceTokenOf(directus)))
    .with(rest({ onRequest: (o) => ({ ...o, signal: AbortSignal.timeout(5000) }) }));

async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${directus.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${directus.adminToken}`, 'Content-Type': 'application/json' },
  });
  expect(res.ok, `${path}: HTTP ${res.status}`).toBe(true);
  return ((await res.json()) as { data: T }).data;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-directus-int-'));
  directus = await startLocalDirectus({ port: PORT, dataDir, fresh: true, log: (l) => lines.push(l), strategies: ['session', 'static'] });
  console.log(`[local-directus.int] first start timings: ${JSON.stringify(directus.timings)}`);
}, 900_000);

afterAll(async () => {
  await directus?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('local Directus', () => {
  it('answers /server/ping and reports the local defaults', async () => {
    expect(directus.url).toBe(`http://127.0.0.1:${PORT}`);
    expect(directus.adminToken).toBe(LOCAL_STACK.directus.adminToken);
    expect(directus.serviceToken).toBe(LOCAL_STACK.directus.serviceToken);
    expect(await (await fetch(`${directus.url}/server/ping`)).text()).toBe('pong');
    expect(directus.timings.bootstrapMs).not.toBeNull();
  });

  it('never logs the token values', () => {
    const text = lines.join('\n');
    expect(text).not.toContain(LOCAL_STACK.directus.adminToken);
    expect(text).not.toContain(LOCAL_STACK.directus.serviceToken);
  });

  it('lets the service token find the demo member by phone', async () => {
    const users = await service().request(
      readUsers({
        filter: { phone: { _eq: LOCAL_STACK.demoMember.phone } },
        fields: ['id', 'first_name', 'last_name', 'email', 'phone', 'status'],
        limit: 1,
      }),
    );
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ ...LOCAL_STACK.demoMember, status: 'active' });
  });

  it('lets the service token write token_expires_at (the static strategy)', async () => {
    const [user] = await service().request(
      readUsers({ filter: { phone: { _eq: LOCAL_STACK.demoMember.phone } }, fields: ['id'], limit: 1 }),
    );
    expect(user).toBeDefined();
    const expires = '2030-01-01T00:00:00.000Z';
    await service().request(updateUser(user!.id, { token_expires_at: expires }, { fields: ['id'] }));
    const [again] = await service().request(readUsers({ filter: { id: { _eq: user!.id } }, fields: ['token_expires_at'] }));
    expect(Date.parse(again!.token_expires_at!)).toBe(Date.parse(expires));
    await service().request(updateUser(user!.id, { token_expires_at: null }, { fields: ['id'] }));
  });

  it('gives the demo member a role without Studio access and the service no Studio access', async () => {
    const [ada] = await admin<{ role: { id: string; policies: { policy: { app_access: boolean; admin_access: boolean } }[] } }[]>(
      `/users?fields=role.id,role.policies.policy.app_access,role.policies.policy.admin_access&filter[email][_eq]=${encodeURIComponent(LOCAL_STACK.demoMember.email)}`,
    );
    expect(ada?.role.id).toBe(directus.memberRoleId);
    expect(ada?.role.policies.length).toBeGreaterThan(0);
    for (const p of ada?.role.policies ?? []) expect(p.policy).toMatchObject({ app_access: false, admin_access: false });
    const res = await fetch(`${directus.url}/policies/me/globals`, { headers: { Authorization: `Bearer ${serviceTokenOf(directus)}` } });
    expect(((await res.json()) as { data: unknown }).data).toMatchObject({ app_access: false, admin_access: false });
  });

  it('refuses a second instance for another data dir on the same port, and reuses its own', async () => {
    await expect(startLocalDirectus({ port: PORT, dataDir: `${dataDir}-other`, log: () => undefined })).rejects.toThrow(
      `Port ${PORT} is already serving a Directus that was not started for`,
    );
    const again = await startLocalDirectus({ port: PORT, dataDir, log: () => undefined, strategies: ['session', 'static'] });
    expect(again.reused).toBe(true);
    await again.stop(); // no-op: not ours to stop
    expect((await fetch(`${directus.url}/server/ping`)).ok).toBe(true);
  });

  it('restarts on the same data without bootstrap, keeping the seed (warm start)', async () => {
    await directus.stop();
    await expect(fetch(`${directus.url}/server/ping`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
    const seedLines: string[] = [];
    directus = await startLocalDirectus({ port: PORT, dataDir, log: (l) => seedLines.push(l), strategies: ['session', 'static'] });
    console.log(`[local-directus.int] warm restart timings: ${JSON.stringify(directus.timings)}`);
    expect(directus.timings.bootstrapMs).toBeNull();
    expect(seedLines.join('\n')).toContain('already present');
    const users = await service().request(readUsers({ filter: { phone: { _eq: LOCAL_STACK.demoMember.phone } }, fields: ['id'] }));
    expect(users).toHaveLength(1);
  }, 120_000);
});

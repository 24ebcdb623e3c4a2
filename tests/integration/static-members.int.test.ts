import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

import { LOCAL_STACK } from '@/lib/local-stack';
import { TEST_PORTS } from '@/dev/stack/test-ports';
import { createHttp } from '../../scripts/directus-setup/http';
import { startApp, type AppInstance } from '../../dev/stack/test-stack';
import { bootWith } from '../support/boot';
import { directusStatusFor } from '../support/directus';
import { emulatorControl } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { credentialIn } from '../support/session';
import { apiClient, type ApiResponse } from './api-client';

// Who the `static` strategy signs in: only an active member by the extension's rules (a member
// role, the default provider, no two-factor, no policy with admin or Studio access or enforced
// two-factor on the user, the role or a parent role). Anyone else holding a phone is a stranger to
// it, and a sign-in writes a token only while the phone's holder is still such a member.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const admin = createHttp({ url: stack.directusUrl, token: LOCAL_STACK.directus.adminToken });
const MEMBER_ROLE = LOCAL_STACK.directus.memberRoleId;
const STRANGER = '+447400550099';
/** A role listed as a member role whose parent role enforces two-factor. */
let childRole: string;
let app: AppInstance;

type Created = { id: string };
const enc = (value: unknown) => encodeURIComponent(JSON.stringify(value));
/**
 * Users made by a test, deleted after it with the Studio-access policies it made: Directus Core
 * locks itself (every item read answers 403 RESOURCE_RESTRICTED, the later test files' too) while
 * an active SSO user exists or Studio users pass its three seats; deleting a user through its API
 * makes it count again.
 */
const madeUsers: string[] = [];
async function createUser(user: Record<string, unknown>) {
  const created = await admin<Created>('POST', '/users?fields=id', { status: 'active', ...user });
  madeUsers.push(created.id);
  return created;
}
/**
 * Makes a user an SSO user as an SSO login would, in the stack's database: Directus Core refuses a
 * provider other than `default` over its API (a licensed feature).
 */
function makeSsoUser(id: string) {
  const db = new DatabaseSync(join(import.meta.dirname, '..', '..', '.local', 'directus', `test-${TEST_PORTS.directus}`, 'data.db'));
  try {
    db.prepare("UPDATE directus_users SET provider = 'github', external_identifier = 'octocat' WHERE id = ?").run(id);
  } finally {
    db.close();
  }
}
/** Studio-access policies made by a test (see madeUsers). */
const seatPolicies: string[] = [];
async function createPolicy(name: string, flags: Record<string, boolean>) {
  const policy = await admin<Created>('POST', '/policies?fields=id', { name, app_access: false, admin_access: false, ...flags });
  if (flags.app_access || flags.admin_access) seatPolicies.push(policy.id);
  return policy;
}
const tokenOf = async (api: ReturnType<typeof apiClient>) =>
  credentialIn(api.cookie?.split('=').slice(1).join('='), stack.appEnv.SESSION_SECRET!);
/** What anyone can see of an answer. */
const shape = (response: ApiResponse) => ({
  status: response.status,
  keys: Object.keys(response.body).sort(),
  error: response.body.error?.code,
});

beforeAll(async () => {
  const parent = await admin<Created>('POST', '/roles?fields=id', { name: 'Static test: two-factor parent' });
  const enforceTfa = await createPolicy('Static test: enforce two-factor', { enforce_tfa: true });
  await admin('POST', '/access', { role: parent.id, policy: enforceTfa.id });
  childRole = (await admin<Created>('POST', '/roles?fields=id', { name: 'Static test: child of two-factor', parent: parent.id })).id;
  app = await startApp(TEST_PORTS.app + 21, { ...stack.appEnv, ...stack.staticEnv, DIRECTUS_MEMBER_ROLES: `${MEMBER_ROLE},${childRole}` });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});
afterEach(async () => {
  for (const id of seatPolicies.splice(0)) await admin('DELETE', `/policies/${id}`);
  for (const id of madeUsers.splice(0)) await admin('DELETE', `/users/${id}`);
});
beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

/** Tries to sign in with a phone: start, then the code Plivo sent, if it sent one. */
async function trySignIn(phone: string) {
  const api = apiClient(app.url);
  const started = await api.post('/api/auth/start', { phone });
  const startedCookie = api.cookie;
  const [sent] = await emulator.sessions(phone);
  const verified = await api.post('/api/auth/verify', { code: sent?.code ?? '123456' });
  return { api, started, startedCookie, sent, verified };
}

describe('the static strategy refuses, like a stranger, whoever holds a phone but may not sign in by SMS', () => {
  let adminId: string;
  beforeAll(async () => {
    const [found] = await admin<Created[]>(
      'GET',
      `/users?fields=id&limit=1&filter=${enc({ email: { _eq: LOCAL_STACK.directus.adminEmail } })}`,
    );
    adminId = found!.id;
    await admin('PATCH', `/users/${adminId}?fields=id`, { phone: '+447400550001' });
  });
  afterAll(async () => {
    await admin('PATCH', `/users/${adminId}?fields=id`, { phone: null });
  });

  it.each([
    ['an administrator', '+447400550001', async () => undefined],
    [
      'a member with Studio access by a policy of their own',
      '+447400550002',
      async (phone: string) => {
        const { id } = await createUser({ phone, role: MEMBER_ROLE });
        await admin('POST', '/access', { user: id, policy: (await createPolicy('Static test: Studio', { app_access: true })).id });
      },
    ],
    [
      'a member with two-factor set up',
      '+447400550003',
      (phone: string) => createUser({ phone, role: MEMBER_ROLE, tfa_secret: 'JBSWY3DPEHPK3PXP' }),
    ],
    ['an SSO user', '+447400550004', async (phone: string) => makeSsoUser((await createUser({ phone, role: MEMBER_ROLE })).id)],
    [
      'a user of a role that is no member role',
      '+447400550005',
      async (phone: string) => {
        const { id: role } = await admin<Created>('POST', '/roles?fields=id', { name: 'Static test: editors' });
        await createUser({ phone, role });
      },
    ],
    [
      'a member of a role whose parent role enforces two-factor',
      '+447400550006',
      (phone: string) => createUser({ phone, role: childRole }),
    ],
  ])('%s', async (_who, phone, give) => {
    await give(phone);
    const stranger = await trySignIn(STRANGER);
    await resetLimits(stack.redisUrl);
    const holder = await trySignIn(phone);

    expect(shape(holder.started)).toEqual(shape(stranger.started));
    expect(holder.startedCookie?.length).toBe(stranger.startedCookie?.length);
    expect(holder.sent).toBeUndefined(); // no SMS, as for a stranger
    expect(shape(holder.verified)).toEqual({ status: 400, keys: ['error'], error: 'invalid_code' });
    expect(shape(holder.verified)).toEqual(shape(stranger.verified));
    expect((await holder.api.get('/api/auth/session')).body).toEqual({ signedIn: false });
    expect(await directusStatusFor(stack.directusUrl, LOCAL_STACK.directus.adminToken)).toBe(200);
  });

  it('but signs in a member of that listed child role once its parent role enforces nothing', async () => {
    // The control: the child role was refused for its parent's policy, not for anything else.
    const phone = '+447400550007';
    const { id: role } = await admin<Created>('POST', '/roles?fields=id', { name: 'Static test: plain parent' });
    await admin('PATCH', `/roles/${childRole}?fields=id`, { parent: role });
    try {
      await createUser({ phone, role: childRole, first_name: 'Child' });
      const { verified } = await trySignIn(phone);
      expect(verified.body).toMatchObject({ status: 'signed_in', user: { first_name: 'Child' } });
    } finally {
      const [enforcing] = await admin<Created[]>(
        'GET',
        `/roles?fields=id&filter=${enc({ name: { _eq: 'Static test: two-factor parent' } })}`,
      );
      await admin('PATCH', `/roles/${childRole}?fields=id`, { parent: enforcing!.id });
    }
  });
});

describe('the static strategy judges the phone again when it issues, and where it checks a session', () => {
  it('writes no token for a member given Studio access between start and verify', async () => {
    const phone = '+447400550010';
    const { id } = await createUser({ phone, role: MEMBER_ROLE });
    const api = apiClient(app.url);
    await api.post('/api/auth/start', { phone });
    await admin('POST', '/access', { user: id, policy: (await createPolicy('Static test: Studio later', { app_access: true })).id });
    const verified = await api.post('/api/auth/verify', { code: await emulator.latestCode(phone) });
    expect(shape(verified)).toEqual({ status: 410, keys: ['error'], error: 'code_expired' });
    const [row] = await admin<Array<{ token: string | null }>>('GET', `/users?fields=token&filter=${enc({ id: { _eq: id } })}`);
    expect(row!.token).toBeNull();
  });

  it('signs in nobody when the phone moved to another user between start and verify', async () => {
    const phone = '+447400550011';
    const first = await createUser({ phone, role: MEMBER_ROLE });
    const api = apiClient(app.url);
    await api.post('/api/auth/start', { phone });
    await admin('PATCH', `/users/${first.id}?fields=id`, { phone: null });
    const second = await createUser({ phone, role: MEMBER_ROLE });
    const verified = await api.post('/api/auth/verify', { code: await emulator.latestCode(phone) });
    expect(shape(verified)).toEqual({ status: 410, keys: ['error'], error: 'code_expired' });
    const rows = await admin<Array<{ token: string | null }>>(
      'GET',
      `/users?fields=token&filter=${enc({ id: { _in: [first.id, second.id] } })}`,
    );
    expect(rows.map((row) => row.token)).toEqual([null, null]);
  });

  it('signs out a member who has since been required to use two-factor, and ends their token', async () => {
    const phone = '+447400550012';
    const { id } = await createUser({ phone, role: MEMBER_ROLE, first_name: 'Later' });
    const { api, verified } = await trySignIn(phone);
    expect(verified.body).toMatchObject({ status: 'signed_in', user: { first_name: 'Later' } });
    const token = (await tokenOf(api))!;
    expect((await api.get('/api/auth/session')).body.signedIn).toBe(true);

    // (Not made an administrator: Directus Core has no seat left for another.)
    await admin('POST', '/access', { user: id, policy: (await createPolicy('Static test: two-factor later', { enforce_tfa: true })).id });
    expect((await api.get('/api/auth/session')).body).toEqual({ signedIn: false });
    expect(await directusStatusFor(stack.directusUrl, token)).toBe(401);
  });
});

describe('the static strategy at boot', () => {
  it('refuses a test number held by someone who may not sign in by SMS, naming the variable', async () => {
    const phone = '+447400550020';
    await createUser({ phone, role: MEMBER_ROLE, tfa_secret: 'JBSWY3DPEHPK3PXP' });
    const { exit, output } = await bootWith(stack, { ...stack.staticEnv, TEST_PHONE_NUMBERS: `${phone}=424242` });
    expect(exit).toBe(1);
    expect(output).toMatch(/TEST_PHONE_NUMBERS: \+44\*{6}020 belongs to no active member/);
  });
});

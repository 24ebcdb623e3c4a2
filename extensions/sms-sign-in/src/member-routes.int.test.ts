// The routes a member calls with their own access token: me and devices; and the member rules
// applied again wherever a session is checked (me) or renewed (Directus's /auth/refresh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK } from '../../../lib/local-stack';
import { admin, asMember, call, createUser, nextPhone, signIn, startSignInStack, type SignInStack } from './sign-in.test-support';

let stack: SignInStack;
/** Configured member roles of their own, which the rules tests give policies without touching the others' members. */
const TFA_ROLE = '3f1c2b7e-5a4d-4e8f-9b0a-1c2d3e4f5a61';
const STUDIO_ROLE = '3f1c2b7e-5a4d-4e8f-9b0a-1c2d3e4f5a62';

beforeAll(async () => {
  stack = await startSignInStack({
    slot: 23,
    env: { SMS_SIGN_IN_MEMBER_ROLES: [LOCAL_STACK.directus.memberRoleId, TFA_ROLE, STUDIO_ROLE].join(',') },
  });
  for (const id of [TFA_ROLE, STUDIO_ROLE]) await admin(stack.directus, '/roles?fields=id', { id, name: `Rules ${id.slice(-2)}` });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

interface DeviceList {
  devices: { id: string; user_agent: string | null; refreshed_at: string | null; expires_at: string; current: boolean }[];
}

const devicesOf = async (token: string) => (await asMember(stack.directus, '/sms-sign-in/devices', token)).body as unknown as DeviceList;

async function member(): Promise<{ id: string; phone: string }> {
  const phone = nextPhone();
  return { id: await createUser(stack.directus, { phone, first_name: 'Dev', last_name: 'Ice' }), phone };
}

describe('me', () => {
  it('answers only id, names, email and phone', async () => {
    const { id, phone } = await member();
    const { access_token: token } = await signIn(stack, phone);
    const reply = await asMember(stack.directus, '/sms-sign-in/me', token);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      member: { id, first_name: 'Dev', last_name: 'Ice', email: expect.stringMatching(/@example\.com$/), phone },
    });
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 401 without a credential and 403 to someone who is not a member', async () => {
    expect(await asMember(stack.directus, '/sms-sign-in/me', '').then((r) => r.status)).toBe(401);
    expect((await asMember(stack.directus, '/sms-sign-in/me', stack.directus.adminToken)).body).toMatchObject({
      error: { code: 'not_a_member' },
    });
    // A member's static token is a credential but not a session: me works, devices do not.
    const token = `static-member-${Date.now()}`;
    await createUser(stack.directus, { phone: nextPhone(), token });
    expect((await asMember(stack.directus, '/sms-sign-in/me', token)).status).toBe(200);
    expect((await asMember(stack.directus, '/sms-sign-in/devices', token)).body).toMatchObject({
      error: { code: 'session_credential_required' },
    });
  });
});

describe('devices', () => {
  it('lists the sessions, marks the current one, ends one by id and then all others', async () => {
    const { phone } = await member();
    const laptop = await signIn(stack, phone, 'Laptop/1.0');
    const phoneDevice = await signIn(stack, phone, 'Phone/2.0');
    const tablet = await signIn(stack, phone, 'Tablet/3.0');

    const list = await devicesOf(laptop.access_token);
    expect(list.devices).toHaveLength(3);
    expect(list.devices[0]).toMatchObject({ user_agent: 'Laptop/1.0', current: true, id: expect.stringMatching(/^d_[A-Za-z0-9_-]{32}$/) });
    expect(list.devices.filter((d) => d.current)).toHaveLength(1);
    const refreshedAt = Date.parse(list.devices[0]!.refreshed_at!);
    expect(Math.abs(refreshedAt - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(list.devices[0]!.expires_at) - refreshedAt).toBe(86_400_000);
    for (const device of list.devices) expect(JSON.stringify(device)).not.toContain(laptop.access_token.split('.')[1]!);

    const phoneId = list.devices.find((d) => d.user_agent === 'Phone/2.0')!.id;
    expect(await asMember(stack.directus, `/sms-sign-in/devices/${phoneId}`, laptop.access_token, { method: 'DELETE' })).toMatchObject({
      status: 200,
      body: { ended: 1 },
    });
    expect((await asMember(stack.directus, '/users/me?fields=id', phoneDevice.access_token)).status).toBe(401);
    expect(await asMember(stack.directus, `/sms-sign-in/devices/${phoneId}`, laptop.access_token, { method: 'DELETE' })).toMatchObject({
      status: 404,
      body: { error: { code: 'device_not_found' } },
    });
    expect(await asMember(stack.directus, '/sms-sign-in/devices/not-an-id', laptop.access_token, { method: 'DELETE' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_device_id' } },
    });

    expect(await asMember(stack.directus, '/sms-sign-in/devices/end-others', laptop.access_token, { method: 'POST' })).toMatchObject({
      status: 200,
      body: { ended: 1 },
    });
    expect((await asMember(stack.directus, '/users/me?fields=id', tablet.access_token)).status).toBe(401);
    expect((await asMember(stack.directus, '/users/me?fields=id', laptop.access_token)).status).toBe(200);
    expect((await devicesOf(laptop.access_token)).devices.map((d) => d.user_agent)).toEqual(['Laptop/1.0']);
  });

  it("cannot end another member's device", async () => {
    const first = await member();
    const second = await member();
    const mine = await signIn(stack, first.phone);
    const theirs = await signIn(stack, second.phone);
    const theirId = (await devicesOf(theirs.access_token)).devices[0]!.id;
    expect((await asMember(stack.directus, `/sms-sign-in/devices/${theirId}`, mine.access_token, { method: 'DELETE' })).status).toBe(404);
    expect((await asMember(stack.directus, '/users/me?fields=id', theirs.access_token)).status).toBe(200);
  });

  it('shows a device after refresh under a new id, and the old row not at all', async () => {
    const { phone } = await member();
    const issued = await signIn(stack, phone);
    const before = (await devicesOf(issued.access_token)).devices;
    const refreshed = await fetch(`${stack.directus.url}/auth/refresh`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Cookie: `directus_session_token=${issued.access_token}`,
        'User-Agent': 'TestBrowser/1.0',
      },
      body: JSON.stringify({ mode: 'session' }),
    });
    const fresh = /directus_session_token=([^;]+)/.exec(refreshed.headers.get('set-cookie') ?? '')![1]!;
    const after = (await devicesOf(fresh)).devices;
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]!.id);
    expect(after[0]).toMatchObject({ current: true, user_agent: 'TestBrowser/1.0' });
  });
});

/** Directus's own session-mode refresh, as the app calls it: the new token, or the refusal. */
async function refresh(token: string): Promise<{ status: number; token?: string; code?: string }> {
  const reply = await call<{ errors?: { extensions: { code: string } }[] }>(`${stack.directus.url}/auth/refresh`, {
    body: { mode: 'session' },
    headers: { Cookie: `directus_session_token=${token}` },
  });
  const fresh = /directus_session_token=([^;]+)/.exec(reply.headers.get('set-cookie') ?? '')?.[1];
  return { status: reply.status, token: fresh, code: reply.body?.errors?.[0]?.extensions.code };
}

describe('the member rules, on every check and renewal of a session', () => {
  async function signedInMember(role: string): Promise<string> {
    const phone = nextPhone();
    await createUser(stack.directus, { phone, role });
    return (await signIn(stack, phone)).access_token;
  }

  async function expectSignedOut(token: string): Promise<void> {
    expect((await asMember(stack.directus, '/sms-sign-in/me', token)).status).toBe(401);
    expect((await asMember(stack.directus, '/users/me?fields=id', token)).status).toBe(401);
  }

  for (const [what, role, grant] of [
    ['enforces two-factor', TFA_ROLE, { enforce_tfa: true }],
    ['grants Studio access', STUDIO_ROLE, { app_access: true }],
  ] as const) {
    it(`a policy that ${what}, attached to the member role after sign-in: me refuses and the session ends`, async () => {
      const token = await signedInMember(role);
      const other = await signedInMember(role);
      expect((await asMember(stack.directus, '/sms-sign-in/me', token)).status).toBe(200);
      const policy = await admin<{ id: string }>(stack.directus, '/policies?fields=id', {
        name: `Rules ${what}`,
        icon: 'badge',
        app_access: false,
        admin_access: false,
        ...grant,
      });
      await admin(stack.directus, '/access', { role, policy: policy.id });

      expect(await asMember(stack.directus, '/sms-sign-in/me', token)).toMatchObject({
        status: 403,
        body: { error: { code: 'not_a_member' } },
      });
      await expectSignedOut(token);
      // The other device, which refreshes before it asks me: Directus's refresh refuses it, and it ends.
      expect(await refresh(other)).toMatchObject({ status: 401, token: undefined, code: 'INVALID_CREDENTIALS' });
      await expectSignedOut(other);
    });
  }

  it('a member moved to a role that is not a member role: refresh refuses and the session ends', async () => {
    const phone = nextPhone();
    const id = await createUser(stack.directus, { phone });
    const { access_token: token } = await signIn(stack, phone);
    const editors = await admin<{ id: string }>(stack.directus, '/roles?fields=id', { name: 'Editors (rules test)' });
    await admin(stack.directus, `/users/${id}?fields=id`, { role: editors.id }, 'PATCH');
    expect(await refresh(token)).toMatchObject({ status: 401, token: undefined });
    await expectSignedOut(token);
  });

  it('a member who still passes refreshes as before', async () => {
    const token = await signedInMember(LOCAL_STACK.directus.memberRoleId);
    const fresh = await refresh(token);
    expect(fresh.status).toBe(200);
    expect((await asMember(stack.directus, '/sms-sign-in/me', fresh.token!)).status).toBe(200);
    // And again: the rules follow the session through each refresh.
    expect((await refresh(fresh.token!)).status).toBe(200);
  });

  it("leaves sessions it did not issue alone: an admin's own session refreshes, and me does not end it", async () => {
    const login = await call<{ data: { expires: number } }>(`${stack.directus.url}/auth/login`, {
      body: { email: LOCAL_STACK.directus.adminEmail, password: LOCAL_STACK.directus.adminPassword, mode: 'session' },
    });
    const token = /directus_session_token=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    expect((await asMember(stack.directus, '/sms-sign-in/me', token)).body).toMatchObject({ error: { code: 'not_a_member' } });
    expect((await asMember(stack.directus, '/users/me?fields=id', token)).status).toBe(200);
    const fresh = await refresh(token);
    expect(fresh.status).toBe(200);
    expect((await asMember(stack.directus, '/users/me?fields=id', fresh.token!)).status).toBe(200);
  });
});

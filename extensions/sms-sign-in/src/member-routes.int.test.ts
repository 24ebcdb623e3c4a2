// The routes a member calls with their own access token: me and devices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMember, createUser, nextPhone, signIn, startSignInStack, type SignInStack } from './sign-in.test-support';

let stack: SignInStack;

beforeAll(async () => {
  stack = await startSignInStack({ slot: 23 });
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
    expect(reply.body).toEqual({ member: { id, first_name: 'Dev', last_name: 'Ice', email: expect.stringMatching(/@example\.com$/), phone } });
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 401 without a credential and 403 to someone who is not a member', async () => {
    expect(await asMember(stack.directus, '/sms-sign-in/me', '').then((r) => r.status)).toBe(401);
    expect((await asMember(stack.directus, '/sms-sign-in/me', stack.directus.adminToken)).body).toMatchObject({ error: { code: 'not_a_member' } });
    // A member's static token is a credential but not a session: me works, devices do not.
    const token = `static-member-${Date.now()}`;
    await createUser(stack.directus, { phone: nextPhone(), token });
    expect((await asMember(stack.directus, '/sms-sign-in/me', token)).status).toBe(200);
    expect((await asMember(stack.directus, '/sms-sign-in/devices', token)).body).toMatchObject({ error: { code: 'session_credential_required' } });
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
    expect(await asMember(stack.directus, `/sms-sign-in/devices/${phoneId}`, laptop.access_token, { method: 'DELETE' })).toMatchObject({ status: 200, body: { ended: 1 } });
    expect((await asMember(stack.directus, '/users/me?fields=id', phoneDevice.access_token)).status).toBe(401);
    expect(await asMember(stack.directus, `/sms-sign-in/devices/${phoneId}`, laptop.access_token, { method: 'DELETE' })).toMatchObject({ status: 404, body: { error: { code: 'device_not_found' } } });
    expect(await asMember(stack.directus, '/sms-sign-in/devices/not-an-id', laptop.access_token, { method: 'DELETE' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_device_id' } } });

    expect(await asMember(stack.directus, '/sms-sign-in/devices/end-others', laptop.access_token, { method: 'POST' })).toMatchObject({ status: 200, body: { ended: 1 } });
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
      headers: { 'Content-Type': 'application/json', Cookie: `directus_session_token=${issued.access_token}`, 'User-Agent': 'TestBrowser/1.0' },
      body: JSON.stringify({ mode: 'session' }),
    });
    const fresh = /directus_session_token=([^;]+)/.exec(refreshed.headers.get('set-cookie') ?? '')![1]!;
    const after = (await devicesOf(fresh)).devices;
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]!.id);
    expect(after[0]).toMatchObject({ current: true, user_agent: 'TestBrowser/1.0' });
  });
});

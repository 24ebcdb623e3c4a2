// Sign-up through issue (`sign_up: true`) and the first-name route, against a real Directus with
// the extension loaded and the Plivo emulator: who may become a member, with which role, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  asMember,
  call,
  createUser,
  issue,
  nextPhone,
  startPlivoSession,
  startSignInStack,
  verifiedPlivoSession,
  type Issued,
  type SignInStack,
} from './sign-in.test-support';

let stack: SignInStack;

beforeAll(async () => {
  stack = await startSignInStack({ slot: 24 });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

type UserRow = {
  id: string;
  phone: string;
  status: string;
  role: string;
  first_name: string | null;
  email: string | null;
  password: string | null;
  policies: unknown[];
};

const usersWithPhone = (phone: string) =>
  admin<UserRow[]>(
    stack.directus,
    `/users?filter[phone][_eq]=${encodeURIComponent(phone)}&fields=id,phone,status,role,first_name,email,password,policies`,
  );
const lookup = (phone: string) =>
  call(`${stack.directus.url}/sms-sign-in/lookup`, { body: { phone }, headers: { 'X-SMS-Sign-In-Key': stack.directus.signInKey } });
const signUp = (phone: string, uuid: string) => issue(stack.directus, { phone, plivo_session_uuid: uuid, sign_up: true });

describe('lookup', () => {
  it('says unclaimed only for a number no user holds', async () => {
    const suspended = nextPhone();
    await createUser(stack.directus, { phone: suspended, status: 'suspended' });
    const member = nextPhone();
    await createUser(stack.directus, { phone: member });
    expect((await lookup(nextPhone())).body).toEqual({ member: null, unclaimed: true });
    expect((await lookup(suspended)).body).toEqual({ member: null, unclaimed: false });
    expect((await lookup(member)).body).toMatchObject({ unclaimed: false });
  });
});

describe('issue with sign_up', () => {
  it('creates an active member with the sign-up role and this phone only, and signs them in', async () => {
    const phone = nextPhone();
    const reply = await signUp(phone, await verifiedPlivoSession(stack.emulatorUrl, phone));
    expect(reply.status).toBe(200);
    const issued = reply.body as unknown as Issued;
    expect(issued.member).toMatchObject({ phone, first_name: null, last_name: null, email: null });
    const [row, ...others] = await usersWithPhone(phone);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      id: issued.member.id,
      status: 'active',
      role: stack.directus.memberRoleId,
      email: null,
      password: null,
      policies: [],
    });
    const me = await asMember(stack.directus, '/sms-sign-in/me', issued.access_token);
    expect(me.body).toMatchObject({ member: { id: issued.member.id, phone } });
  });

  it('creates one member when six verified codes for one new number are issued at once', async () => {
    const phone = nextPhone();
    // Plivo starts a new session for a number once the previous one is verified.
    const uuids: string[] = [];
    for (let i = 0; i < 6; i += 1) uuids.push(await verifiedPlivoSession(stack.emulatorUrl, phone));
    expect(new Set(uuids).size).toBe(6);
    const replies = await Promise.all(uuids.map((uuid) => signUp(phone, uuid)));
    expect(replies.map((r) => r.status)).toEqual(Array<number>(6).fill(200));
    const ids = replies.map((r) => (r.body as unknown as Issued).member.id);
    const rows = await usersWithPhone(phone);
    expect(rows.map((r) => r.id)).toEqual([ids[0]]);
    expect(new Set(ids)).toEqual(new Set([ids[0]]));
  });

  it('signs an existing member in as before, without creating anyone', async () => {
    const phone = nextPhone();
    const id = await createUser(stack.directus, { phone });
    const reply = await signUp(phone, await verifiedPlivoSession(stack.emulatorUrl, phone));
    expect(reply).toMatchObject({ status: 200, body: { member: { id, first_name: 'Test' } } });
    expect(await usersWithPhone(phone)).toHaveLength(1);
  });

  it('refuses, creating nobody, without a verified code or for a number someone who may not sign in holds', async () => {
    const unverified = nextPhone();
    const refusedUnverified = await signUp(unverified, await startPlivoSession(stack.emulatorUrl, unverified));
    expect(refusedUnverified).toMatchObject({ status: 403, body: { error: { code: 'refused' } } });
    expect(await usersWithPhone(unverified)).toEqual([]);

    const suspended = nextPhone();
    const suspendedId = await createUser(stack.directus, { phone: suspended, status: 'suspended' });
    const refusedSuspended = await signUp(suspended, await verifiedPlivoSession(stack.emulatorUrl, suspended));
    expect(refusedSuspended).toMatchObject({ status: 403, body: { error: { code: 'refused' } } });
    expect((await usersWithPhone(suspended)).map((r) => [r.id, r.status])).toEqual([[suspendedId, 'suspended']]);
  });

  it('creates nobody without sign_up, as before', async () => {
    const phone = nextPhone();
    const reply = await issue(stack.directus, { phone, plivo_session_uuid: await verifiedPlivoSession(stack.emulatorUrl, phone) });
    expect(reply).toMatchObject({ status: 403, body: { error: { code: 'refused' } } });
    expect(await usersWithPhone(phone)).toEqual([]);
  });

  it('answers 400 invalid_sign_up for a sign_up that is not a boolean', async () => {
    const phone = nextPhone();
    const reply = await call(`${stack.directus.url}/sms-sign-in/issue`, {
      body: { phone, plivo_session_uuid: '3f1e4a52-6b7c-4d8e-9f00-112233445566', ip: '203.0.113.7', sign_up: 'yes' },
      headers: { 'X-SMS-Sign-In-Key': stack.directus.signInKey },
    });
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'invalid_sign_up' } } });
  });
});

describe('me/first-name', () => {
  const setFirstName = (token: string, body: unknown) =>
    asMember(stack.directus, '/sms-sign-in/me/first-name', token, { method: 'POST', body });

  it("writes the caller's own first name, trimmed, and nothing else", async () => {
    const phone = nextPhone();
    const issued = (await signUp(phone, await verifiedPlivoSession(stack.emulatorUrl, phone))).body as unknown as Issued;
    const reply = await setFirstName(issued.access_token, { first_name: '  Grace ', role: null, last_name: 'Hopper' });
    expect(reply).toMatchObject({ status: 200, body: { member: { first_name: 'Grace', last_name: null } } });
    const [row] = await usersWithPhone(phone);
    expect(row).toMatchObject({ first_name: 'Grace', role: stack.directus.memberRoleId });
  });

  it('answers 400 invalid_first_name for an empty, long or odd name, and 401 without a credential', async () => {
    const phone = nextPhone();
    const issued = (await signUp(phone, await verifiedPlivoSession(stack.emulatorUrl, phone))).body as unknown as Issued;
    for (const first_name of ['', '   ', 'x'.repeat(51), 'A\u0000da', 42, null]) {
      expect(await setFirstName(issued.access_token, { first_name })).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_first_name' } },
      });
    }
    expect((await setFirstName('', { first_name: 'Ada' })).status).toBe(401);
    expect((await usersWithPhone(phone))[0]?.first_name).toBeNull();
  });
});

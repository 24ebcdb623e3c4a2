// lookup and issue against a real Directus 12.3.1 with the extension loaded and the Plivo emulator:
// the app key, who is refused, what counts as proof, single use, and the life of an issued session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK } from '../../../lib/local-stack';
import {
  admin,
  asMember,
  call,
  createUser,
  issue,
  nextPhone,
  signIn,
  startPlivoSession,
  startSignInStack,
  totp,
  verifiedPlivoSession,
  type Issued,
  type SignInStack,
} from './sign-in.test-support';

let stack: SignInStack;
/** A second configured member role, created by a test with a policy that grants Studio access. */
const STUDIO_MEMBER_ROLE = '7c0d6b52-0b1e-4d8a-9a43-5f0e2c1d9b70';
/** The sign-up role here: configured, but no role Directus has (a mistyped or deleted id). */
const MISSING_SIGN_UP_ROLE = '0b7f3c1e-5d2a-4e8b-9c6d-3a1f2e4d5c6b';
const refused = { error: { code: 'refused', message: 'Sign-in refused.' } };

beforeAll(async () => {
  const started = Date.now();
  // A short grace period, so that "the old token dies after a refresh" is seen without a long wait.
  stack = await startSignInStack({
    slot: 20,
    env: {
      SESSION_REFRESH_GRACE_PERIOD: '1s',
      SMS_SIGN_IN_PLIVO_TIMEOUT_MS: '1000',
      SMS_SIGN_IN_MEMBER_ROLES: `${LOCAL_STACK.directus.memberRoleId},${STUDIO_MEMBER_ROLE},${MISSING_SIGN_UP_ROLE}`,
      SMS_SIGN_IN_SIGN_UP_ROLE: MISSING_SIGN_UP_ROLE,
    },
  });
  console.log(`[issue.int] Directus with the extension ready in ${Date.now() - started} ms (${JSON.stringify(stack.directus.timings)})`);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const lookup = (body: unknown, key = stack.directus.signInKey) =>
  call(`${stack.directus.url}/sms-sign-in/lookup`, { body, headers: { 'X-SMS-Sign-In-Key': key } });

async function memberWithPhone(fields: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> {
  const phone = nextPhone();
  return { id: await createUser(stack.directus, { phone, ...fields }), phone };
}

describe('the app key', () => {
  it('is required on lookup and issue: missing, wrong or in Authorization gets 401', async () => {
    const { phone } = await memberWithPhone();
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
    const wrong = `${stack.directus.signInKey}x`;
    for (const reply of [
      await call(`${stack.directus.url}/sms-sign-in/lookup`, { body: { phone } }),
      await lookup({ phone }, wrong),
      await issue(stack.directus, { phone, plivo_session_uuid: uuid }, wrong),
      await call(`${stack.directus.url}/sms-sign-in/issue`, { body: { phone, plivo_session_uuid: uuid, ip: '203.0.113.7' } }),
    ]) {
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: { code: 'invalid_app_key', message: expect.any(String) } });
    }
    // The uuid was not used up by the refused calls.
    expect((await issue(stack.directus, { phone, plivo_session_uuid: uuid })).status).toBe(200);
  });
});

describe('lookup', () => {
  it('answers an opaque reference for an active member and null otherwise, with the same status', async () => {
    const member = await memberWithPhone();
    const found = await lookup({ phone: member.phone });
    expect(found.status).toBe(200);
    expect(found.body.member).toMatch(/^m_[A-Za-z0-9_-]{32}$/);
    expect(found.body.member).not.toContain(member.id);
    const suspended = await memberWithPhone({ status: 'suspended' });
    for (const phone of [nextPhone(), suspended.phone]) {
      expect(await lookup({ phone })).toMatchObject({ status: 200, body: { member: null } });
    }
  });

  it('answers 400 invalid_phone for a number that is not E.164', async () => {
    for (const body of [{}, { phone: '07400123456' }, { phone: 447400123456 }, { phone: '+447400123456 ' }, ['+447400123456']]) {
      expect(await lookup(body)).toMatchObject({ status: 400, body: { error: { code: 'invalid_phone' } } });
    }
    expect(await lookup(null)).toMatchObject({ status: 400, body: { error: { code: 'invalid_phone' } } });
  });

  it('reads its own body: anything but JSON of at most 16 KiB is 400 invalid_body, whatever the Content-Type', async () => {
    const raw = (body: string, type = 'application/json') =>
      fetch(`${stack.directus.url}/sms-sign-in/lookup`, {
        method: 'POST',
        headers: { 'Content-Type': type, 'X-SMS-Sign-In-Key': stack.directus.signInKey },
        body,
      });
    for (const body of ['{', '', 'phone=+447400123456', JSON.stringify({ phone: '+447400123456', pad: 'x'.repeat(16 * 1024) })]) {
      const reply = await raw(body);
      expect(reply.status).toBe(400);
      expect(await reply.json()).toEqual({ error: { code: 'invalid_body', message: expect.any(String) } });
    }
    const member = await memberWithPhone();
    const asText = await raw(JSON.stringify({ phone: member.phone }), 'text/plain');
    expect(asText.status).toBe(200);
    expect(await asText.json()).toMatchObject({ member: expect.stringMatching(/^m_/) });
  });

  it("runs ahead of Directus's token check: the app's key is its only credential", async () => {
    // Behind Directus's middleware, an unknown bearer token would be a 401 INVALID_CREDENTIALS.
    const member = await memberWithPhone();
    const reply = await call(`${stack.directus.url}/sms-sign-in/lookup`, {
      body: { phone: member.phone },
      headers: { 'X-SMS-Sign-In-Key': stack.directus.signInKey, Authorization: 'Bearer not-a-directus-token' },
    });
    expect(reply).toMatchObject({ status: 200, body: { member: expect.stringMatching(/^m_/) } });
  });
});

describe('issue: input', () => {
  it('answers 400 with a stable code for each bad field', async () => {
    const phone = nextPhone();
    const uuid = '3f1e4a52-6b7c-4d8e-9f00-112233445566';
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: 'nope', plivo_session_uuid: uuid }, 'invalid_phone'],
      [{ phone, plivo_session_uuid: 'not-a-uuid' }, 'invalid_plivo_session_uuid'],
      [{ phone, plivo_session_uuid: uuid, ip: 'localhost' }, 'invalid_ip'],
      [{ phone, plivo_session_uuid: uuid, user_agent: 42 }, 'invalid_user_agent'],
      [{ phone, plivo_session_uuid: uuid, member: {} }, 'invalid_member'],
    ];
    for (const [body, code] of cases) {
      const reply = await issue(stack.directus, body as never);
      expect(reply.status, code).toBe(400);
      expect(reply.body).toEqual({ error: { code, message: expect.any(String) } });
    }
  });
});

describe('issue: who is refused', () => {
  /** Users with Studio access take one of Core's 3 seats: remove them after their test. */
  async function expectPrivilegedRefused(fields: Record<string, unknown>) {
    const { id, phone } = await memberWithPhone(fields);
    try {
      await expectRefused(phone);
    } finally {
      await admin(stack.directus, `/users/${id}`, undefined, 'DELETE');
    }
  }

  async function expectRefused(phone: string) {
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
    const reply = await issue(stack.directus, { phone, plivo_session_uuid: uuid });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual(refused);
  }

  it('refuses a number that belongs to nobody', async () => {
    await expectRefused(nextPhone());
  });

  it('refuses an administrator', async () => {
    const [adminRole] = await admin<{ id: string }[]>(stack.directus, '/roles?fields=id&filter[name][_eq]=Administrator');
    await expectPrivilegedRefused({ role: adminRole!.id });
  });

  it('refuses members whose own policies grant admin or Studio access', async () => {
    for (const access of [
      { admin_access: true, app_access: true },
      { admin_access: false, app_access: true },
    ]) {
      const policy = await admin<{ id: string }>(stack.directus, '/policies?fields=id', {
        name: `Extra ${JSON.stringify(access)}`,
        ...access,
      });
      await expectPrivilegedRefused({ policies: [{ policy: policy.id }] });
    }
  });

  it('refuses members of a configured member role that grants Studio access, also through a parent role', async () => {
    const policy = await admin<{ id: string }>(stack.directus, '/policies?fields=id', {
      name: 'Studio for a role',
      app_access: true,
      admin_access: false,
    });
    const parent = await admin<{ id: string }>(stack.directus, '/roles?fields=id', {
      name: 'Studio parent',
      policies: [{ policy: policy.id }],
    });
    await admin(stack.directus, '/roles?fields=id', { id: STUDIO_MEMBER_ROLE, name: 'Studio members', parent: parent.id });
    await expectPrivilegedRefused({ role: STUDIO_MEMBER_ROLE });
    expect(stack.logs.join('\n')).toContain('issue refused (privileged_policy)');
  });

  it('refuses a member with two-factor enabled', async () => {
    const password = 'a-long-test-password-1234';
    const token = `tfa-member-${Date.now()}`;
    // Enabling two-factor updates the user's own row, which a member role cannot: a policy of its own allows it.
    const selfUpdate = await admin<{ id: string }>(stack.directus, '/policies?fields=id', {
      name: 'Update own row (two-factor test)',
      app_access: false,
      admin_access: false,
    });
    for (const action of ['read', 'update'])
      await admin(stack.directus, '/permissions', { policy: selfUpdate.id, collection: 'directus_users', action, fields: ['*'] });
    const { phone } = await memberWithPhone({ password, token, policies: [{ policy: selfUpdate.id }] });
    const generated = await call<{ data: { secret: string } }>(`${stack.directus.url}/users/me/tfa/generate`, {
      body: { password },
      headers: { Authorization: `Bearer ${token}` },
    });
    const secret = generated.body.data.secret;
    const enabled = await call(`${stack.directus.url}/users/me/tfa/enable`, {
      body: { secret, otp: totp(secret) },
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(enabled.status).toBeLessThan(300);
    await expectRefused(phone);
  });

  it('refuses suspended, archived, invited and role-less users', async () => {
    for (const fields of [{ status: 'suspended' }, { status: 'archived' }, { status: 'invited' }, { role: null }]) {
      const { phone } = await memberWithPhone(fields);
      await expectRefused(phone);
    }
  });

  it('refuses when the lookup reference belongs to another member', async () => {
    const first = await memberWithPhone();
    const second = await memberWithPhone();
    const ref = (await lookup({ phone: first.phone })).body.member as string;
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, second.phone);
    expect(await issue(stack.directus, { phone: second.phone, plivo_session_uuid: uuid, member: ref })).toMatchObject({
      status: 403,
      body: refused,
    });
    const own = (await lookup({ phone: second.phone })).body.member as string;
    expect((await issue(stack.directus, { phone: second.phone, plivo_session_uuid: uuid, member: own })).status).toBe(200);
  });
});

describe('issue: the Plivo proof', () => {
  const plivoPath = `/v1/Account/${LOCAL_STACK.plivo.authId}/Verify/Session/`;
  const fault = (body: unknown) => call(`${stack.emulatorUrl}/dev/faults`, { body: { endpoint: 'get', times: 1, ...(body as object) } });

  it('refuses a session whose code was not typed yet, without using it up', async () => {
    const { phone } = await memberWithPhone();
    const uuid = await startPlivoSession(stack.emulatorUrl, phone);
    expect(await issue(stack.directus, { phone, plivo_session_uuid: uuid })).toMatchObject({ status: 403, body: refused });
    const inbox = await call<{ sessions: { code: string }[] }>(`${stack.emulatorUrl}/dev/sessions?recipient=${encodeURIComponent(phone)}`);
    const auth = `Basic ${Buffer.from(`${LOCAL_STACK.plivo.authId}:${LOCAL_STACK.plivo.authToken}`).toString('base64')}`;
    await call(`${stack.emulatorUrl}${plivoPath}${uuid}/`, {
      body: { otp: inbox.body.sessions[0]!.code },
      headers: { Authorization: auth },
    });
    expect((await issue(stack.directus, { phone, plivo_session_uuid: uuid })).status).toBe(200);
  });

  it('refuses a session Plivo does not know', async () => {
    const { phone } = await memberWithPhone();
    expect(await issue(stack.directus, { phone, plivo_session_uuid: '3f1e4a52-6b7c-4d8e-9f00-112233445566' })).toMatchObject({
      status: 403,
      body: refused,
    });
  });

  it('refuses a session verified for another number', async () => {
    const { phone } = await memberWithPhone();
    const other = await verifiedPlivoSession(stack.emulatorUrl, nextPhone());
    expect(await issue(stack.directus, { phone, plivo_session_uuid: other })).toMatchObject({ status: 403, body: refused });
  });

  it('refuses a session of another Verify application', async () => {
    const { phone } = await memberWithPhone();
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
    const session = (
      await call(`${stack.emulatorUrl}${plivoPath}${uuid}/`, {
        headers: { Authorization: `Basic ${Buffer.from(`${LOCAL_STACK.plivo.authId}:${LOCAL_STACK.plivo.authToken}`).toString('base64')}` },
      })
    ).body;
    await fault({ kind: 'status', status: 200, body: JSON.stringify({ ...session, app_uuid: '11111111-2222-4333-8444-555555555555' }) });
    expect(await issue(stack.directus, { phone, plivo_session_uuid: uuid })).toMatchObject({ status: 403, body: refused });
  });

  it('refuses a session created longer ago than the code lifetime (600 s)', async () => {
    const { phone } = await memberWithPhone();
    stack.setEmulatorLag(601);
    try {
      const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
      expect(await issue(stack.directus, { phone, plivo_session_uuid: uuid })).toMatchObject({ status: 403, body: refused });
    } finally {
      stack.setEmulatorLag(0);
    }
  });

  it('accepts a session created just within the lifetime', async () => {
    const { phone } = await memberWithPhone();
    stack.setEmulatorLag(590);
    try {
      const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
      expect((await issue(stack.directus, { phone, plivo_session_uuid: uuid })).status).toBe(200);
    } finally {
      stack.setEmulatorLag(0);
    }
  });

  it('answers 503 plivo_timeout when Plivo hangs and 502 plivo_error when it fails', async () => {
    const { phone } = await memberWithPhone();
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
    await fault({ kind: 'hang' });
    expect(await issue(stack.directus, { phone, plivo_session_uuid: uuid })).toMatchObject({
      status: 503,
      body: { error: { code: 'plivo_timeout' } },
    });
    await fault({ kind: 'status', status: 500 });
    expect(await issue(stack.directus, { phone, plivo_session_uuid: uuid })).toMatchObject({
      status: 502,
      body: { error: { code: 'plivo_error' } },
    });
    await fault({ kind: 'malformed' });
    expect(await issue(stack.directus, { phone, plivo_session_uuid: uuid })).toMatchObject({
      status: 502,
      body: { error: { code: 'plivo_error' } },
    });
    // None of these used the session up.
    expect((await issue(stack.directus, { phone, plivo_session_uuid: uuid })).status).toBe(200);
  });

  it('signs in once per Plivo session, also when twelve issues race', async () => {
    const { phone } = await memberWithPhone();
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
    const replies = await Promise.all(Array.from({ length: 12 }, () => issue(stack.directus, { phone, plivo_session_uuid: uuid })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array<number>(11).fill(403)]);
    for (const reply of replies.filter((r) => r.status === 403)) expect(reply.body).toEqual(refused);
    const winner = replies.find((r) => r.status === 200)!.body as unknown as Issued;
    const devices = await asMember(stack.directus, '/sms-sign-in/devices', winner.access_token);
    expect((devices.body.devices as unknown[]).length).toBe(1);
    expect(await issue(stack.directus, { phone, plivo_session_uuid: uuid.toUpperCase() })).toMatchObject({ status: 403, body: refused });
  });
});

describe('issue: one member, many sign-ins at once', () => {
  it('signs a member in on twelve devices at once: twelve sessions, none lost to a lock', async () => {
    const { id, phone } = await memberWithPhone();
    const uuids: string[] = [];
    // Plivo starts a new session for a number once the previous one is verified.
    for (let i = 0; i < 12; i += 1) uuids.push(await verifiedPlivoSession(stack.emulatorUrl, phone));
    const replies = await Promise.all(
      uuids.map((uuid, i) => issue(stack.directus, { phone, plivo_session_uuid: uuid, user_agent: `Device/${i}` })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array<number>(12).fill(200));
    expect(new Set(replies.map((r) => (r.body as unknown as Issued).member.id))).toEqual(new Set([id]));
    const devices = await asMember(stack.directus, '/sms-sign-in/devices', (replies[0]!.body as unknown as Issued).access_token);
    expect((devices.body.devices as unknown[]).length).toBe(12);
  });
});

describe('issue: a sign-up the database refuses', () => {
  it('is an error the log names, not a refusal, and creates nobody (a sign-up role Directus does not have)', async () => {
    const phone = nextPhone();
    const reply = await issue(stack.directus, {
      phone,
      plivo_session_uuid: await verifiedPlivoSession(stack.emulatorUrl, phone),
      sign_up: true,
    });
    expect(reply).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
    await new Promise((r) => setTimeout(r, 200));
    expect(stack.logs.filter((line) => line.includes('error: sms-sign-in: POST /sms-sign-in/issue failed unexpectedly'))).toHaveLength(1);
    expect(await admin<unknown[]>(stack.directus, `/users?filter[phone][_eq]=${encodeURIComponent(phone)}&fields=id`)).toEqual([]);
  });
});

describe('an issued session', () => {
  it('answers the tokens and the profile, and works on /users/me and /sms-sign-in/me', async () => {
    const { id, phone } = await memberWithPhone({ first_name: 'Grace', last_name: 'Hopper', email: `grace-${Date.now()}@example.com` });
    const started = Date.now();
    const issued = await signIn(stack, phone);
    console.log(`[issue.int] verify + issue took ${Date.now() - started} ms`);
    expect(issued).toEqual({
      access_token: expect.stringMatching(/^ey/),
      expires: 86_400_000,
      expires_at: expect.any(String),
      member: { id, first_name: 'Grace', last_name: 'Hopper', email: expect.stringMatching(/^grace-/), phone },
    });
    expect(Object.keys(issued)).not.toContain('refresh_token');
    expect(await asMember(stack.directus, '/users/me?fields=id', issued.access_token)).toMatchObject({
      status: 200,
      body: { data: { id } },
    });
    const me = await asMember(stack.directus, '/sms-sign-in/me', issued.access_token);
    expect(me).toMatchObject({ status: 200, body: { member: issued.member } });
    expect(Object.keys((me.body as { member: object }).member).sort()).toEqual(['email', 'first_name', 'id', 'last_name', 'phone']);
  });

  it('is logged in Directus activity once, as a login with ip, user agent and origin, and nothing else', async () => {
    const { id, phone } = await memberWithPhone();
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
    const reply = await call(`${stack.directus.url}/sms-sign-in/issue`, {
      body: { phone, plivo_session_uuid: uuid, ip: '203.0.113.7', user_agent: 'ActivityBrowser/2.0' },
      headers: { 'X-SMS-Sign-In-Key': stack.directus.signInKey, Origin: 'https://app.example.com' },
    });
    expect(reply.status).toBe(200);
    const rows = await admin<Record<string, unknown>[]>(
      stack.directus,
      `/activity?fields=action,ip,user_agent,origin,collection,item&filter[user][_eq]=${id}`,
    );
    expect(rows).toEqual([
      {
        action: 'login',
        ip: '203.0.113.7',
        user_agent: 'ActivityBrowser/2.0',
        origin: 'https://app.example.com',
        collection: 'directus_users',
        item: id,
      },
    ]);
  });

  it("refreshes through Directus's /auth/refresh (session mode): a new token, and the old one dies", async () => {
    const { phone } = await memberWithPhone();
    const issued = await signIn(stack, phone);
    const refreshed = await call(`${stack.directus.url}/auth/refresh`, {
      body: { mode: 'session' },
      headers: { Cookie: `directus_session_token=${issued.access_token}` },
    });
    expect(refreshed.status).toBe(200);
    const fresh = /directus_session_token=([^;]+)/.exec(refreshed.headers.get('set-cookie') ?? '')?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(issued.access_token);
    expect((await asMember(stack.directus, '/users/me?fields=id', fresh!)).status).toBe(200);
    // Directus keeps the old session for SESSION_REFRESH_GRACE_PERIOD (1 s here, 10 s by default).
    await new Promise((r) => setTimeout(r, 1500));
    expect((await asMember(stack.directus, '/users/me?fields=id', issued.access_token)).status).toBe(401);
    const again = await call(`${stack.directus.url}/auth/refresh`, {
      body: { mode: 'session' },
      headers: { Cookie: `directus_session_token=${issued.access_token}` },
    });
    expect(again.status).toBe(401);
  });

  it("ends at once with Directus's /auth/logout: the very next request gets 401", async () => {
    const { phone } = await memberWithPhone();
    const issued = await signIn(stack, phone);
    const out = await call(`${stack.directus.url}/auth/logout`, {
      body: { mode: 'session' },
      headers: { Cookie: `directus_session_token=${issued.access_token}` },
    });
    expect(out.status).toBeLessThan(300);
    expect((await asMember(stack.directus, '/users/me?fields=id', issued.access_token)).status).toBe(401);
    expect((await asMember(stack.directus, '/sms-sign-in/me', issued.access_token)).status).toBe(401);
  });

  it('ends at once when the member is suspended', async () => {
    const { id, phone } = await memberWithPhone();
    const issued = await signIn(stack, phone);
    await admin(stack.directus, `/users/${id}?fields=id`, { status: 'suspended' }, 'PATCH');
    expect((await asMember(stack.directus, '/users/me?fields=id', issued.access_token)).status).toBe(401);
  });
});

describe('the Directus log', () => {
  it('says why issue refused, with the number masked, and never shows keys, tokens or numbers', async () => {
    const { phone } = await memberWithPhone({ status: 'suspended' });
    const uuid = await verifiedPlivoSession(stack.emulatorUrl, phone);
    await issue(stack.directus, { phone, plivo_session_uuid: uuid });
    await new Promise((r) => setTimeout(r, 200));
    const text = stack.logs.join('\n');
    expect(text).toContain('issue refused (not_active)');
    expect(text).not.toContain(phone);
    expect(text).not.toContain(phone.slice(1));
    expect(text).not.toContain(uuid);
    expect(text).not.toContain(stack.directus.signInKey);
    expect(text).not.toContain(LOCAL_STACK.plivo.authToken);
  });
});

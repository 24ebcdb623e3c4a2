// Passkeys against the real Directus: real WebAuthn answers from a software authenticator (no
// browser), verified by the extension; the challenge, the member rules and the one commit of a
// passkey sign-in, on whichever database the suite runs (TEST_DATABASE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK } from '../../../lib/local-stack';
import { FLAGS, SoftwareAuthenticator } from '../../../tests/support/software-authenticator';
import type { PasskeySummary as Passkey } from './passkey-tables';
import {
  admin,
  asMember,
  call,
  createUser,
  nextPhone,
  signIn,
  startSignInStack,
  type Reply,
  type SignInStack,
} from './sign-in.test-support';

let stack: SignInStack;
const RP_ID = 'localhost';
const ORIGIN = 'http://localhost:3000';
/** A configured member role of its own, which a test gives a policy without touching the others' members. */
const STUDIO_ROLE = '3f1c2b7e-5a4d-4e8f-9b0a-1c2d3e4f5a71';

beforeAll(async () => {
  stack = await startSignInStack({
    slot: 26,
    env: {
      SMS_SIGN_IN_MEMBER_ROLES: [LOCAL_STACK.directus.memberRoleId, STUDIO_ROLE].join(','),
      SMS_SIGN_IN_PASSKEY_RP_ID: RP_ID,
      SMS_SIGN_IN_PASSKEY_RP_NAME: 'SMS Sign-in tests',
      SMS_SIGN_IN_PASSKEY_ORIGINS: `${ORIGIN},http://localhost:3001`,
    },
  });
  await admin(stack.directus, '/roles?fields=id', { id: STUDIO_ROLE, name: 'Passkeys studio' });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

interface Options {
  ceremony: string;
  options: {
    challenge: string;
    rpId?: string;
    rp?: { id: string; name: string };
    user?: { id: string; name: string; displayName: string };
    excludeCredentials?: { id: string }[];
    authenticatorSelection?: Record<string, unknown>;
    attestation?: string;
    userVerification?: string;
    allowCredentials?: unknown[];
  };
}

const appKey = () => ({ 'X-SMS-Sign-In-Key': stack.directus.signInKey });

async function smsMember(fields: Record<string, unknown> = {}): Promise<{ id: string; phone: string; token: string }> {
  const phone = nextPhone();
  const id = await createUser(stack.directus, { phone, ...fields });
  return { id, phone, token: (await signIn(stack, phone)).access_token };
}

async function registerOptions(token: string): Promise<Reply> {
  return asMember(stack.directus, '/sms-sign-in/passkeys/register/options', token, { method: 'POST', body: {} });
}

/** Options, the authenticator's answer, and register: the reply of the last. */
async function addPasskey(
  token: string,
  authenticator: SoftwareAuthenticator,
  { name, flags, origin = ORIGIN }: { name?: string; flags?: number; origin?: string } = {},
): Promise<Reply> {
  const started = await registerOptions(token);
  expect(started.status).toBe(200);
  const { ceremony, options } = started.body as unknown as Options;
  const response = authenticator.register({ challenge: options.challenge, origin, rpId: RP_ID, userHandle: options.user!.id }, { flags });
  return asMember(stack.directus, '/sms-sign-in/passkeys/register', token, { method: 'POST', body: { ceremony, response, name } });
}

async function signInOptions(): Promise<Options> {
  const reply = await call(`${stack.directus.url}/sms-sign-in/passkeys/sign-in/options`, { body: {}, headers: appKey() });
  expect(reply.status).toBe(200);
  return reply.body as unknown as Options;
}

function postSignIn(ceremony: string, response: unknown): Promise<Reply> {
  return call(`${stack.directus.url}/sms-sign-in/passkeys/sign-in`, {
    body: { ceremony, response, ip: '203.0.113.9', user_agent: 'PasskeyBrowser/1.0' },
    headers: { ...appKey(), Origin: ORIGIN },
  });
}

type AssertOptions = Parameters<SoftwareAuthenticator['assert']>[1] & { origin?: string; rpId?: string };

async function passkeySignIn(authenticator: SoftwareAuthenticator, { origin = ORIGIN, rpId = RP_ID, ...overrides }: AssertOptions = {}) {
  const { ceremony, options } = await signInOptions();
  return postSignIn(ceremony, authenticator.assert({ challenge: options.challenge, origin, rpId }, overrides));
}

const REFUSED = { status: 403, body: { error: { code: 'refused', message: 'Sign-in refused.' } } };

/** The reasons the extension logged for passkey sign-in refusals since `from`. */
function refusalReasons(from: number): string[] {
  return stack.logs
    .slice(from)
    .map((line) => /passkey sign-in refused \(([a-z_]+)\)/.exec(line)?.[1])
    .filter((reason): reason is string => reason !== undefined);
}

const waitForLogs = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('adding a passkey and signing in with it', () => {
  for (const algorithm of ['ES256', 'Ed25519'] as const) {
    it(`verifies a registration and an assertion (${algorithm}): the same session as an SMS code, logged as a passkey login`, async () => {
      const member = await smsMember({ first_name: 'Pass', last_name: 'Key' });
      const authenticator = new SoftwareAuthenticator(algorithm);
      const started = (await registerOptions(member.token)).body as unknown as Options;
      expect(started.ceremony).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(started.options).toMatchObject({
        rp: { id: RP_ID, name: 'SMS Sign-in tests' },
        user: { name: member.phone, displayName: 'Pass Key' },
        attestation: 'none',
        authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
        excludeCredentials: [],
      });
      // The handle is 32 random bytes, no personal data.
      expect(Buffer.from(started.options.user!.id, 'base64url')).toHaveLength(32);

      const added = await addPasskey(member.token, authenticator, { name: 'Laptop' });
      expect(added).toMatchObject({
        status: 200,
        body: { passkey: { name: 'Laptop', backed_up: false, device_type: 'singleDevice', last_used_at: null } },
      });
      const { passkey } = added.body as { passkey: Passkey };
      expect(passkey.id).toMatch(/^[0-9a-f]{64}$/);
      // The next ceremony excludes it, so the browser does not make a second one on that authenticator.
      const next = (await registerOptions(member.token)).body as unknown as Options;
      expect(next.options.excludeCredentials).toEqual([expect.objectContaining({ id: authenticator.credentialId.toString('base64url') })]);

      const options = await signInOptions();
      expect(options.options).toMatchObject({ rpId: RP_ID, userVerification: 'required' });
      expect(options.options.allowCredentials ?? []).toEqual([]);
      const reply = await postSignIn(
        options.ceremony,
        authenticator.assert({ challenge: options.options.challenge, origin: ORIGIN, rpId: RP_ID }),
      );
      expect(reply).toMatchObject({
        status: 200,
        body: { access_token: expect.stringMatching(/^ey/), expires: 86_400_000, member: { id: member.id, phone: member.phone } },
      });
      const token = (reply.body as { access_token: string }).access_token;
      expect(await asMember(stack.directus, '/sms-sign-in/me', token)).toMatchObject({ status: 200, body: { member: { id: member.id } } });
      expect(await asMember(stack.directus, '/users/me?fields=id', token)).toMatchObject({
        status: 200,
        body: { data: { id: member.id } },
      });

      const activity = await admin<Record<string, unknown>[]>(
        stack.directus,
        `/activity?fields=action,collection,item,ip,user_agent,origin&filter[user][_eq]=${member.id}&sort=id`,
      );
      expect(activity.map((row) => row.collection)).toEqual(['directus_users', 'sms_sign_in_passkeys']);
      expect(activity[1]).toEqual({
        action: 'login',
        collection: 'sms_sign_in_passkeys',
        item: passkey.id,
        ip: '203.0.113.9',
        user_agent: 'PasskeyBrowser/1.0',
        origin: ORIGIN,
      });
      const list = await asMember(stack.directus, '/sms-sign-in/passkeys', token);
      expect(list).toMatchObject({
        status: 200,
        body: { passkeys: [{ id: passkey.id, name: 'Laptop', last_used_at: expect.any(String) }] },
      });
      const row = await stack.sql()('sms_sign_in_passkeys').select('counter').where({ id: passkey.id }).first();
      expect(Number(row.counter)).toBe(1);
    });
  }

  it('lists, renames and removes only the member’s own passkeys', async () => {
    const mine = await smsMember();
    const theirs = await smsMember();
    const { passkey } = (await addPasskey(mine.token, new SoftwareAuthenticator())).body as { passkey: Passkey };
    expect(passkey.name).toBe('Passkey');
    const path = `/sms-sign-in/passkeys/${passkey.id}`;
    expect(await asMember(stack.directus, path, theirs.token, { method: 'PATCH', body: { name: 'Mine now' } })).toMatchObject({
      status: 404,
      body: { error: { code: 'passkey_not_found' } },
    });
    expect((await asMember(stack.directus, path, theirs.token, { method: 'DELETE' })).status).toBe(404);
    expect((await asMember(stack.directus, '/sms-sign-in/passkeys', theirs.token)).body).toEqual({ passkeys: [] });
    expect(await asMember(stack.directus, path, mine.token, { method: 'PATCH', body: { name: '  Phone  ' } })).toMatchObject({
      status: 200,
      body: { passkey: { id: passkey.id, name: 'Phone' } },
    });
    expect((await asMember(stack.directus, path, mine.token, { method: 'PATCH', body: { name: '' } })).body).toMatchObject({
      error: { code: 'invalid_passkey_name' },
    });
    expect((await asMember(stack.directus, '/sms-sign-in/passkeys/nope', mine.token, { method: 'DELETE' })).body).toMatchObject({
      error: { code: 'invalid_passkey_id' },
    });
    expect(await asMember(stack.directus, path, mine.token, { method: 'DELETE' })).toMatchObject({ status: 200, body: { removed: 1 } });
    expect((await asMember(stack.directus, '/sms-sign-in/passkeys', mine.token)).body).toEqual({ passkeys: [] });
  });
});

describe('a passkey sign-in refuses', () => {
  it('a challenge a second time, and one that has expired', async () => {
    const member = await smsMember();
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(member.token, authenticator);
    const { ceremony, options } = await signInOptions();
    const answer = authenticator.assert({ challenge: options.challenge, origin: ORIGIN, rpId: RP_ID });
    expect((await postSignIn(ceremony, answer)).status).toBe(200);
    expect(await postSignIn(ceremony, answer)).toMatchObject(REFUSED);
    // A fresh answer to the used challenge, too.
    expect(await postSignIn(ceremony, authenticator.assert({ challenge: options.challenge, origin: ORIGIN, rpId: RP_ID }))).toMatchObject(
      REFUSED,
    );

    const late = await signInOptions();
    await stack
      .sql()('sms_sign_in_passkey_challenges')
      .update({ expires_at: new Date(Date.now() - 1000) });
    const from = stack.logs.length;
    expect(
      await postSignIn(late.ceremony, authenticator.assert({ challenge: late.options.challenge, origin: ORIGIN, rpId: RP_ID })),
    ).toMatchObject(REFUSED);
    await waitForLogs();
    expect(refusalReasons(from)).toEqual(['challenge_unknown_used_or_expired']);
  });

  it('an answer for another origin or RP ID, without user verification, or with another user handle: alike, each logged', async () => {
    const member = await smsMember();
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(member.token, authenticator);
    const from = stack.logs.length;
    expect(await passkeySignIn(authenticator, { origin: 'https://evil.example' })).toMatchObject(REFUSED);
    expect(await passkeySignIn(authenticator, { rpId: 'evil.example' })).toMatchObject(REFUSED);
    expect(await passkeySignIn(authenticator, { flags: FLAGS.UP })).toMatchObject(REFUSED);
    expect(await passkeySignIn(authenticator, { type: 'webauthn.create' })).toMatchObject(REFUSED);
    const handle = authenticator.userHandle;
    authenticator.userHandle = Buffer.alloc(32, 7).toString('base64url');
    expect(await passkeySignIn(authenticator)).toMatchObject(REFUSED);
    authenticator.userHandle = handle;
    // A regular answer from the second configured origin still passes.
    expect((await passkeySignIn(authenticator, { origin: 'http://localhost:3001' })).status).toBe(200);
    await waitForLogs();
    expect(refusalReasons(from)).toEqual([
      'wrong_origin',
      'wrong_rp_id',
      'no_user_verification',
      'malformed_response',
      'user_handle_mismatch',
    ]);
    // No value of the answer in the log (the library's messages quote the origin).
    expect(stack.logs.slice(from).join('\n')).not.toContain('evil.example');
  });

  it('a counter that went back (not zero), and accepts one that stays at zero', async () => {
    const member = await smsMember();
    const counting = new SoftwareAuthenticator('ES256', { counter: 0 });
    await addPasskey(member.token, counting);
    expect((await passkeySignIn(counting, { counter: 5 })).status).toBe(200);
    const from = stack.logs.length;
    expect(await passkeySignIn(counting, { counter: 5 })).toMatchObject(REFUSED);
    expect(await passkeySignIn(counting, { counter: 3 })).toMatchObject(REFUSED);
    expect((await passkeySignIn(counting, { counter: 6 })).status).toBe(200);
    await waitForLogs();
    expect(refusalReasons(from)).toEqual(['counter_regression', 'counter_regression']);

    // A synced passkey keeps 0 for ever.
    const synced = new SoftwareAuthenticator('Ed25519');
    await addPasskey(member.token, synced, { flags: FLAGS.UP | FLAGS.UV | FLAGS.AT | FLAGS.BE | FLAGS.BS });
    expect((await passkeySignIn(synced, { counter: 0, flags: FLAGS.UP | FLAGS.UV | FLAGS.BE | FLAGS.BS })).status).toBe(200);
    expect((await passkeySignIn(synced, { counter: 0, flags: FLAGS.UP | FLAGS.UV | FLAGS.BE | FLAGS.BS })).status).toBe(200);
    const list = (await asMember(stack.directus, '/sms-sign-in/passkeys', member.token)).body as { passkeys: Passkey[] };
    expect(list.passkeys.map((p) => [p.backed_up, p.device_type])).toEqual([
      [false, 'singleDevice'],
      [true, 'multiDevice'],
    ]);
  });

  it('a removed passkey, an unknown one, and a registration ceremony', async () => {
    const member = await smsMember();
    const authenticator = new SoftwareAuthenticator();
    const { passkey } = (await addPasskey(member.token, authenticator)).body as { passkey: Passkey };
    await asMember(stack.directus, `/sms-sign-in/passkeys/${passkey.id}`, member.token, { method: 'DELETE' });
    const from = stack.logs.length;
    expect(await passkeySignIn(authenticator)).toMatchObject(REFUSED);
    expect(await passkeySignIn(new SoftwareAuthenticator())).toMatchObject(REFUSED);
    const registering = (await registerOptions(member.token)).body as unknown as Options;
    const answer = authenticator.assert({ challenge: registering.options.challenge, origin: ORIGIN, rpId: RP_ID });
    expect(await postSignIn(registering.ceremony, answer)).toMatchObject(REFUSED);
    await waitForLogs();
    expect(refusalReasons(from)).toEqual(['unknown_passkey', 'unknown_passkey', 'challenge_unknown_used_or_expired']);
  });

  it('a member suspended, moved out of the member roles, or given an admin policy', async () => {
    const cases: [string, (id: string) => Promise<unknown>, string][] = [
      ['suspended', (id) => admin(stack.directus, `/users/${id}?fields=id`, { status: 'suspended' }, 'PATCH'), 'not_active'],
      [
        'moved',
        async (id) => {
          const role = await admin<{ id: string }>(stack.directus, '/roles?fields=id', { name: `Editors ${id.slice(0, 8)}` });
          await admin(stack.directus, `/users/${id}?fields=id`, { role: role.id }, 'PATCH');
        },
        'not_member_role',
      ],
      [
        'admin',
        async (id) => {
          const policy = await admin<{ id: string }>(stack.directus, '/policies?fields=id', {
            name: `Admin ${id.slice(0, 8)}`,
            icon: 'badge',
            admin_access: true,
            app_access: true,
          });
          await admin(stack.directus, '/access', { user: id, policy: policy.id });
          return policy.id;
        },
        'privileged_policy',
      ],
    ];
    for (const [what, change, reason] of cases) {
      const member = await smsMember({ role: STUDIO_ROLE });
      const authenticator = new SoftwareAuthenticator();
      expect((await addPasskey(member.token, authenticator)).status, what).toBe(200);
      const policy = await change(member.id);
      const from = stack.logs.length;
      expect(await passkeySignIn(authenticator), what).toMatchObject(REFUSED);
      await waitForLogs();
      expect(refusalReasons(from), what).toEqual([reason]);
      // The administrator policy would count against Directus Core's seats for the files after this one.
      if (typeof policy === 'string') await admin(stack.directus, `/policies/${policy}`, undefined, 'DELETE');
    }
  });

  it('two sign-ins with one answer at once: one session', async () => {
    const member = await smsMember();
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(member.token, authenticator);
    const sessions = () => stack.sql()('directus_sessions').where({ user: member.id }).count({ n: '*' }).first();
    const before = Number((await sessions())!.n);
    const { ceremony, options } = await signInOptions();
    const answer = authenticator.assert({ challenge: options.challenge, origin: ORIGIN, rpId: RP_ID });
    const replies = await Promise.all([postSignIn(ceremony, answer), postSignIn(ceremony, answer), postSignIn(ceremony, answer)]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 403, 403]);
    expect(Number((await sessions())!.n)).toBe(before + 1);
  });
});

describe('adding a passkey refuses', () => {
  it('a credential id over 1023 bytes, and one already registered (by this member or another)', async () => {
    const member = await smsMember();
    const from = stack.logs.length;
    expect(await addPasskey(member.token, new SoftwareAuthenticator('ES256', { credentialId: Buffer.alloc(1024, 1) }))).toMatchObject({
      status: 400,
      body: { error: { code: 'registration_refused' } },
    });
    expect((await addPasskey(member.token, new SoftwareAuthenticator('ES256', { credentialId: Buffer.alloc(1023, 2) }))).status).toBe(200);
    const authenticator = new SoftwareAuthenticator();
    expect((await addPasskey(member.token, authenticator)).status).toBe(200);
    expect((await addPasskey(member.token, authenticator)).status).toBe(400);
    const other = await smsMember();
    expect((await addPasskey(other.token, authenticator)).body).toMatchObject({ error: { code: 'registration_refused' } });
    await waitForLogs();
    const reasons = stack.logs
      .slice(from)
      .map((line) => /passkey not added \(([a-z_]+)\)/.exec(line)?.[1])
      .filter(Boolean);
    expect(reasons).toEqual(['credential_id_too_long', 'already_registered', 'already_registered']);
  });

  it('an answer for another origin or without user verification, and a ceremony of another member or used', async () => {
    const member = await smsMember();
    expect((await addPasskey(member.token, new SoftwareAuthenticator(), { origin: 'https://evil.example' })).status).toBe(400);
    expect((await addPasskey(member.token, new SoftwareAuthenticator(), { flags: FLAGS.UP | FLAGS.AT })).status).toBe(400);
    const other = await smsMember();
    const theirs = (await registerOptions(other.token)).body as unknown as Options;
    const authenticator = new SoftwareAuthenticator();
    const response = authenticator.register({
      challenge: theirs.options.challenge,
      origin: ORIGIN,
      rpId: RP_ID,
      userHandle: theirs.options.user!.id,
    });
    const register = (token: string) =>
      asMember(stack.directus, '/sms-sign-in/passkeys/register', token, { method: 'POST', body: { ceremony: theirs.ceremony, response } });
    expect((await register(member.token)).status).toBe(400);
    // Tried by another member, the ceremony is not used up: but it answers once only.
    expect((await register(other.token)).status).toBe(200);
    expect((await register(other.token)).status).toBe(400);
  });

  it('without an SMS sign-in of the last SMS_SIGN_IN_PASSKEY_RECENT_SIGN_IN_SECONDS: a passkey session or an old one', async () => {
    const member = await smsMember();
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(member.token, authenticator);
    const byPasskey = ((await passkeySignIn(authenticator)).body as { access_token: string }).access_token;
    const recentRequired = { status: 403, body: { error: { code: 'recent_sign_in_required' } } };
    expect(await registerOptions(byPasskey)).toMatchObject(recentRequired);
    // Listing, renaming and removing need no recent sign-in.
    expect((await asMember(stack.directus, '/sms-sign-in/passkeys', byPasskey)).status).toBe(200);

    const session = JSON.parse(Buffer.from(member.token.split('.')[1]!, 'base64url').toString()).session as string;
    await stack
      .sql()('sms_sign_in_sessions')
      .where({ token: session })
      .update({ signed_in_at: new Date(Date.now() - 11 * 60_000) });
    expect(await registerOptions(member.token)).toMatchObject(recentRequired);
    await stack
      .sql()('sms_sign_in_sessions')
      .where({ token: session })
      .update({ signed_in_at: new Date(Date.now() - 9 * 60_000) });
    expect((await registerOptions(member.token)).status).toBe(200);
    // An administrator's static token is no member's session at all.
    expect((await registerOptions(stack.directus.adminToken)).body).toMatchObject({ error: { code: 'not_a_member' } });
  });
});

describe('the passkey routes', () => {
  it('refuse bodies that are not a ceremony and a credential, and callers without the app key', async () => {
    const url = `${stack.directus.url}/sms-sign-in/passkeys/sign-in`;
    expect((await call(url, { body: {} })).status).toBe(401);
    const { ceremony } = await signInOptions();
    for (const [body, code] of [
      [{}, 'invalid_ceremony'],
      [{ ceremony: 'short' }, 'invalid_ceremony'],
      [{ ceremony, response: null, ip: '203.0.113.9' }, 'invalid_passkey_response'],
      [{ ceremony, response: { id: 'not base64url!', response: {} }, ip: '203.0.113.9' }, 'invalid_passkey_response'],
      [{ ceremony, response: { id: 'a'.repeat(3000), response: {} }, ip: '203.0.113.9' }, 'invalid_passkey_response'],
      [{ ceremony, response: { id: 'abc', response: {} }, ip: 'nope' }, 'invalid_ip'],
    ] as const) {
      expect(await call(url, { body, headers: appKey() }), JSON.stringify(body)).toMatchObject({ status: 400, body: { error: { code } } });
    }
    expect(
      await call(url, { body: { ceremony, response: { id: 'abc', response: {} }, ip: '203.0.113.9' }, headers: appKey() }),
    ).toMatchObject(REFUSED);
  });
});

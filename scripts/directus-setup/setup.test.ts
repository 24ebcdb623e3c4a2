import { describe, expect, it } from 'vitest';
import { parseSetupArgs } from './args';
import { describeFailure, maskPhonesIn, SetupFailure } from './errors';
import { createFakeClient, fakeState } from './fake-client';
import { createHttp, DirectusHttpError } from './http';
import {
  exitCodeForReport,
  fieldDefinitions,
  formatReport,
  LEGACY_PHONE_VALIDATION,
  memberPolicyName,
  PHONE_VALIDATION,
  planSetup,
  runSetup,
} from './setup';

const URL_ = 'http://directus.test';
const run = (client: ReturnType<typeof createFakeClient>, extra: Partial<Parameters<typeof runSetup>[0]> = {}) =>
  runSetup({ url: URL_, token: 't', client, ...extra });

const phoneField = (
  schema: Record<string, unknown> = { is_unique: true, max_length: 20 },
  meta: Record<string, unknown> | null = { validation: {} },
) => ({
  field: 'phone',
  type: 'string',
  schema,
  meta,
});

// The base fields plus the static strategy's, so that only phone matters.
const withOthers = (...extra: ReturnType<typeof phoneField>[]) => [
  ...fakeState().fields,
  { field: 'token_expires_at', type: 'timestamp', schema: { is_nullable: true }, meta: { hidden: true } },
  ...extra,
];
const noState = { phones: null, role: null, policy: null, staticTokenHolders: null };

describe('planSetup', () => {
  it('creates only the fields the strategy needs: phone for session; phone and token_expires_at for static', () => {
    const fields = (credentials?: 'session' | 'static') =>
      planSetup({ ...noState, fields: fakeState().fields }, { credentials }).actions.map((a) => a.type === 'create-field' && a.def.field);
    expect(fields()).toEqual(['phone']);
    expect(fields('session')).toEqual(['phone']);
    expect(fields('static')).toEqual(['phone', 'token_expires_at']);
  });

  it('uses the documented field shapes (unique phone, no is_indexed, E.164 validation)', () => {
    const phone = fieldDefinitions('static').find((f) => f.field === 'phone');
    expect(phone?.schema).toEqual({ max_length: 20, is_unique: true, is_nullable: true });
    expect(phone?.meta.interface).toBe('input');
    expect(JSON.stringify(phone?.meta.validation)).toContain('_regex');
    expect(fieldDefinitions('static').find((f) => f.field === 'token_expires_at')).toMatchObject({
      type: 'timestamp',
      meta: { hidden: true, readonly: true },
    });
  });

  it('reports a field with another type as a problem and does not touch it', () => {
    const fields = [...fakeState().fields, { field: 'token_expires_at', type: 'string', schema: null, meta: null }];
    const plan = planSetup({ ...noState, fields }, { credentials: 'static' });
    expect(plan.actions.some((a) => a.type === 'create-field' && a.def.field === 'token_expires_at')).toBe(false);
    expect(plan.problems.join('\n')).toMatch(/token_expires_at exists with type "string"/);
  });

  it('makes an existing non-unique phone field unique when values allow it', () => {
    const fields = [...fakeState().fields, phoneField({ is_unique: false, max_length: 255 }, null)];
    const plan = planSetup({ ...noState, fields, phones: [{ id: 'u1', phone: '+447400123456' }] }, {});
    const updates = plan.actions.filter((a) => a.type === 'update-field');
    expect(updates.map((u) => u.description)).toEqual([
      'update field directus_users.phone: add E.164 validation',
      'update field directus_users.phone: add unique index',
    ]);
    expect(updates[1]).toMatchObject({ field: 'phone', patch: { schema: { is_unique: true } } });
  });

  it('refuses the unique index while duplicates remain and explains why', () => {
    const fields = [...fakeState().fields, phoneField({ is_unique: false }, { validation: {} })];
    const phones = [
      { id: 'u1', phone: '+447400123456' },
      { id: 'u2', phone: '+447400123456' },
    ];
    const plan = planSetup({ ...noState, fields, phones }, { fixPhones: true });
    expect(plan.actions.find((a) => a.type === 'update-field')).toBeUndefined();
    expect(plan.problems.join('\n')).toMatch(/Cannot make directus_users\.phone unique: 1 duplicate/);
    expect(plan.problems.join('\n')).toMatch(/share the number \+44\*\*\*\*\*\*456/);
  });

  it('rewrites blank values before creating the index when --fix-phones is given', () => {
    const fields = withOthers(phoneField({ is_unique: false }, { validation: {} }));
    const phones = [
      { id: 'u1', phone: '' },
      { id: 'u2', phone: '' },
    ];
    const without = planSetup({ ...noState, fields, phones }, {});
    expect(without.actions).toEqual([]);
    expect(without.problems.join('\n')).toMatch(/--fix-phones/);
    const withFix = planSetup({ ...noState, fields, phones }, { fixPhones: true });
    expect(withFix.actions.map((a) => a.type)).toEqual(['rewrite-phone', 'rewrite-phone', 'update-field']);
    expect(withFix.actions[2]).toMatchObject({ patch: { schema: { is_unique: true } } });
    expect(withFix.problems).toEqual([]);
  });

  it('upgrades the null-rejecting validation before rewriting blanks to null', () => {
    const fields = withOthers(phoneField({ is_unique: false }, { validation: LEGACY_PHONE_VALIDATION }));
    const plan = planSetup({ ...noState, fields, phones: [{ id: 'u1', phone: ' ' }] }, { fixPhones: true });
    expect(plan.actions.map((a) => a.description)).toEqual([
      'update field directus_users.phone: let the E.164 validation accept null (clearing a phone)',
      'rewrite blank phone " " -> null (user u1)',
      'update field directus_users.phone: add unique index',
    ]);
    expect(PHONE_VALIDATION._or[0]).toEqual({ phone: { _null: true } });
    expect(plan.problems).toEqual([]);
  });

  it('plans the member role and its no-Studio policy', () => {
    const plan = planSetup({ ...noState, fields: fakeState().fields }, { createMemberRole: 'Member' });
    const action = plan.actions.find((a) => a.type === 'member-role');
    expect(action).toMatchObject({ name: 'Member', attach: true });
    expect(action?.description).toMatch(
      /create role "Member", create policy "Member \(no Studio access\)" \(app_access: false, admin_access: false\)/,
    );
  });

  it('flags a member role that has Studio access', () => {
    const role = { id: 'r1', name: 'Member', policies: [{ id: 'p9', name: 'Editors', app_access: true, admin_access: false }] };
    const plan = planSetup({ ...noState, fields: fakeState().fields, role }, { createMemberRole: 'Member' });
    expect(plan.problems.join('\n')).toMatch(/Role "Member" has Studio \(app\) access through policy "Editors"/);
  });
});

describe('runSetup', () => {
  it('applies the plan, and a second run reports no changes', async () => {
    const state = fakeState();
    const client = createFakeClient(state);
    const first = await run(client, { createMemberRole: 'Member' });
    expect(first.changes).toHaveLength(2);
    expect(first.problems).toEqual([]);
    expect(first.memberRole?.id).toBe(state.roles[0]?.id);
    expect(state.access).toEqual([{ role: state.roles[0]?.id, policy: state.policies[0]?.id }]);
    expect(state.policies[0]).toMatchObject({ name: memberPolicyName('Member'), app_access: false, admin_access: false });

    const writes = client.writes();
    const second = await run(client, { createMemberRole: 'Member' });
    expect(second.changes).toEqual([]);
    expect(client.writes()).toBe(writes);
    expect(second.memberRole?.id).toBe(first.memberRole?.id);
    expect(formatReport(second)).toContain('No changes: already set up.');
    expect(exitCodeForReport(second)).toBe(0);
  });

  it('with nothing to change but a problem, it does not say "already set up"', async () => {
    const state = fakeState({ fields: [...fakeState().fields, phoneField({ is_unique: true, max_length: 12 })] });
    const report = await run(createFakeClient(state), {});
    expect(report.changes).toEqual([]);
    expect(report.problems).toHaveLength(1);
    const lines = formatReport(report);
    expect(lines).not.toContain('No changes: already set up.');
    expect(lines).toContain('No changes made: see the problems below.');
  });

  it('changes nothing in dry-run but reports what it would do', async () => {
    const state = fakeState({
      fields: [...fakeState().fields, phoneField({ is_unique: false }, null)],
      users: [
        { id: 'u1', phone: '+44 7400 123456' },
        { id: 'u2', phone: null },
      ],
    });
    const before = structuredClone(state);
    const client = createFakeClient(state);
    const report = await run(client, { dryRun: true, fixPhones: true, createMemberRole: 'Member' });
    expect(client.writes()).toBe(0);
    expect(state).toEqual(before);
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes[1]).toMatch(/rewrite phone \+44\*\*\*\*\*\*456 -> \+44\*\*\*\*\*\*456 \(user u1\)/);
    expect(formatReport(report).join('\n')).toMatch(/dry run: nothing changed[\s\S]*Would change/);
  });

  it('fixes phones with --fix-phones --default-country, then reports no changes', async () => {
    const state = fakeState({
      fields: [...fakeState().fields, phoneField({ is_unique: false, max_length: 255 }, null)],
      users: [
        { id: 'u1', phone: '07400 123456' },
        { id: 'u2', phone: '+1 415 555 2671' },
      ],
    });
    const client = createFakeClient(state);
    const report = await run(client, { fixPhones: true, defaultCountry: 'GB' });
    expect(report.problems).toEqual([]);
    expect(state.users.map((u) => u.phone)).toEqual(['+447400123456', '+14155552671']);
    expect(state.fields.find((f) => f.field === 'phone')?.schema?.is_unique).toBe(true);
    expect(report.phones).toMatchObject({ total: 2, rewritten: 2 });
    const again = await run(client, { fixPhones: true, defaultCountry: 'GB' });
    expect(again.changes).toEqual([]);
    expect(again.phones).toMatchObject({ total: 2, valid: 2, rewritten: 0 });
  });

  it('reports invalid phones as problems (exit 1) without rewriting them', async () => {
    const state = fakeState({
      fields: withOthers(phoneField()),
      users: [{ id: 'u1', phone: '+44 7400 123456' }],
    });
    const client = createFakeClient(state);
    const report = await run(client);
    expect(client.writes()).toBe(0);
    expect(exitCodeForReport(report)).toBe(1);
    expect(report.problems.join('\n')).toMatch(/User u1: phone \+44\*\*\*\*\*\*456 -> \+44\*\*\*\*\*\*456 needed/);
    expect(JSON.stringify(report)).not.toContain('7400123456');
  });

  it('moving from static to session: offers to clear the static tokens the app wrote, and clears them with --clear-static-tokens', async () => {
    const expires = '2026-12-31T00:00:00.000Z';
    const state = fakeState({
      fields: withOthers(phoneField()),
      users: [
        { id: 'u1', phone: '+447400123456', token_expires_at: expires },
        { id: 'u2', phone: '+447400123457', token_expires_at: expires },
        // A token the app did not write (a service user's, an admin's) has no expiry: never touched.
        { id: 'svc', phone: null, token_expires_at: null },
      ],
    });
    const client = createFakeClient(state);
    const offer = await run(client);
    expect(offer.notes).toContain(
      '2 user(s) still hold a static token the app wrote under the static strategy, valid until it expires: rerun with --clear-static-tokens to end them now.',
    );
    expect(client.writes()).toBe(0);

    const dryRun = await run(client, { clearStaticTokens: true, dryRun: true });
    expect(dryRun.changes).toEqual(['clear the static tokens the app wrote (token, token_expires_at) of 2 user(s)']);
    expect(formatReport(dryRun)).toContain('  - clear the static tokens the app wrote (token, token_expires_at) of 2 user(s)');
    expect(client.writes()).toBe(0);

    const cleared = await run(client, { clearStaticTokens: true });
    expect(cleared.changes).toEqual(['clear the static tokens the app wrote (token, token_expires_at) of 2 user(s)']);
    expect(state.users.map((u) => u.token_expires_at)).toEqual([null, null, null]);
    expect(client.calls).toContain('clearStaticTokens u1,u2');
    expect((await run(client)).notes.join('\n')).not.toMatch(/static token/);
  });

  it('refuses a non-admin token with a clear message', async () => {
    const client = createFakeClient(fakeState({ admin: false }));
    await expect(run(client)).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/not an admin token on Directus at http:\/\/directus\.test/),
    });
  });
});

describe('error mapping', () => {
  it('maps HTTP statuses to one-line messages naming the URL', () => {
    expect(describeFailure(new DirectusHttpError(401, 'INVALID_CREDENTIALS', 'Invalid user credentials.', '/x'), URL_)).toMatchObject({
      kind: 'auth',
      message: `Directus at ${URL_} rejected the token (401 INVALID_CREDENTIALS). Check --token / DIRECTUS_ADMIN_TOKEN.`,
    });
    expect(describeFailure(new DirectusHttpError(403, 'FORBIDDEN', 'no', '/x'), URL_).message).toMatch(/no rights .* needs an admin token/);
    expect(describeFailure(new DirectusHttpError(404, 'ROUTE_NOT_FOUND', 'no', '/x'), URL_).kind).toBe('connection');
  });

  it('masks phone numbers echoed in Directus messages', () => {
    const err = new DirectusHttpError(400, 'RECORD_NOT_UNIQUE', 'Value "+447400123456" for field "phone" has to be unique.', '/users/x');
    const message = describeFailure(err, URL_).message;
    expect(message).toContain('+44******456');
    expect(message).not.toContain('7400123456');
    expect(maskPhonesIn('uuid 3f1e4a52-6b7c and 2026-11-27 stay')).toBe('uuid 3f1e4a52-6b7c and 2026-11-27 stay');
  });

  it('maps SDK-shaped errors too', () => {
    const sdkError = { message: '', errors: [{ message: 'x', extensions: { code: 'INVALID_CREDENTIALS' } }], response: { status: 401 } };
    expect(describeFailure(sdkError, URL_).kind).toBe('auth');
  });

  it('maps connection refused, DNS failures and timeouts', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(describeFailure(refused, URL_).message).toBe(`Cannot reach Directus at ${URL_}: connection refused.`);
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('dns'), { code: 'ENOTFOUND' }) });
    expect(describeFailure(dns, URL_).message).toMatch(/host not found/);
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(describeFailure(timeout, URL_, 5000).message).toBe(`Directus at ${URL_} did not answer within 5s (timeout).`);
  });

  it('wraps errors thrown by the client during runSetup', async () => {
    const client = createFakeClient(fakeState());
    client.myGlobals = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    const err = await run(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SetupFailure);
    expect((err as SetupFailure).kind).toBe('connection');
    expect((err as SetupFailure).message).not.toMatch(/\n\s+at /);
  });

  it('http client: non-JSON answers and Directus errors become DirectusHttpError', async () => {
    const html = createHttp({ url: URL_, fetch: async () => new Response('<html/>', { status: 200 }) });
    await expect(html('GET', '/policies/me/globals')).rejects.toMatchObject({ code: 'NOT_DIRECTUS' });
    const denied = createHttp({
      url: URL_,
      fetch: async () =>
        Response.json({ errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }] }, { status: 401 }),
    });
    await expect(denied('GET', '/x')).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    const hanging = createHttp({
      url: URL_,
      timeoutMs: 20,
      fetch: (_u, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    });
    const err = await hanging('GET', '/x').catch((e: unknown) => e);
    expect(describeFailure(err, URL_, 20).message).toMatch(/did not answer within 0s \(timeout\)|did not answer/);
  });
});

describe('parseSetupArgs', () => {
  it('uses the local defaults when neither URL nor token is given', () => {
    const r = parseSetupArgs([], {});
    expect(r).toMatchObject({ help: false, usingLocalDefaults: true, options: { url: 'http://127.0.0.1:8055' } });
  });
  it('reads the env and flags', () => {
    const r = parseSetupArgs(['--dry-run', '--create-member-role', 'Member', '--fix-phones', '--default-country', 'gb'], {
      DIRECTUS_URL: 'https://cms.example.com/',
      DIRECTUS_ADMIN_TOKEN: 'abc',
    });
    expect(r).toMatchObject({
      help: false,
      usingLocalDefaults: false,
      options: {
        url: 'https://cms.example.com/',
        token: 'abc',
        dryRun: true,
        createMemberRole: 'Member',
        fixPhones: true,
        defaultCountry: 'GB',
      },
    });
  });
  it('reads the credential strategy and the extension key (flag or env; not with static)', () => {
    const key = 'k'.repeat(32);
    expect(parseSetupArgs([], {})).toMatchObject({ options: { credentials: 'session', extensionKey: undefined } });
    expect(parseSetupArgs(['--extension-key', key], { DIRECTUS_EXTENSION_KEY: 'other'.repeat(8) })).toMatchObject({
      options: { extensionKey: key },
    });
    expect(parseSetupArgs([], { DIRECTUS_EXTENSION_KEY: key })).toMatchObject({ options: { extensionKey: key } });
    expect(parseSetupArgs(['--clear-static-tokens'], {})).toMatchObject({ options: { credentials: 'session', clearStaticTokens: true } });
    expect(parseSetupArgs(['--credentials', 'static'], { DIRECTUS_EXTENSION_KEY: key })).toMatchObject({
      options: { credentials: 'static', extensionKey: undefined },
    });
  });
  it('rejects bad usage with usage failures', () => {
    const usage = (argv: string[], env: Record<string, string | undefined> = {}) => {
      try {
        parseSetupArgs(argv, env);
        return null;
      } catch (e) {
        return e instanceof SetupFailure ? e.kind : 'other';
      }
    };
    expect(usage(['--url', 'http://x'])).toBe('usage'); // no token
    expect(usage(['--token', 'x'])).toBe('usage'); // no url
    expect(usage(['--url', 'ftp://x', '--token', 't'])).toBe('usage');
    expect(usage(['--bogus'])).toBe('usage');
    expect(usage(['--fix-phones', '--default-country', 'XX'])).toBe('usage');
    expect(usage(['--default-country', 'GB'])).toBe('usage');
    expect(usage(['--timeout', '0'])).toBe('usage');
    expect(usage(['--credentials', 'token'])).toBe('usage');
    expect(usage(['--credentials', 'static', '--extension-key', 'k'.repeat(32)])).toBe('usage');
    expect(usage(['--extension-key', 'too-short'])).toBe('usage');
    expect(usage(['--credentials', 'static', '--clear-static-tokens'])).toBe('usage');
    expect(usage([], { DIRECTUS_EXTENSION_KEY: 'too-short' })).toBe('usage');
  });
});

// Runs the setup against a real local Directus that starts out like a site that followed the
// original tutorial: a plain, non-unique `phone` field with messy values. It runs the sms-sign-in
// extension, configured; at the end it is restarted once with the extension misconfigured. Started
// for both strategies, so that the static one's service token is there to be refused as non-admin.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceTokenOf, startLocalDirectus, type LocalDirectus } from '../../dev/directus/index';
import { TEST_PORTS } from '../../dev/stack/test-ports';
import { SetupFailure } from '../../scripts/directus-setup/errors';
import { runSetup } from '../../scripts/directus-setup/setup';

const PORT = TEST_PORTS.directus + 11;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let dataDir: string;
let directus: LocalDirectus;
const ids: Record<string, string> = {};

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${directus.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${directus.adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.status === 204 ? (undefined as T) : ((await res.json()) as { data: T }).data;
}

const userFields = async () =>
  (await admin<{ field: string; schema: { is_unique: boolean } | null }[]>('GET', '/fields/directus_users')).filter((f) =>
    ['phone', 'otp_session_uuid', 'token_expires_at'].includes(f.field),
  );
const phoneOf = async (id: string) => (await admin<{ phone: string | null }>('GET', `/users/${id}?fields=phone`)).phone;

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/directus-setup/main.ts', ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, DIRECTUS_URL: '', DIRECTUS_ADMIN_TOKEN: '', DIRECTUS_EXTENSION_KEY: '', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'directus-setup-int-'));
  directus = await startLocalDirectus({ port: PORT, dataDir, fresh: true, log: () => undefined, strategies: ['session', 'static'] });
  // Turn it back into a "tutorial" Directus: no hidden field, a plain non-unique phone field.
  for (const field of ['phone', 'token_expires_at']) await admin('DELETE', `/fields/directus_users/${field}`);
  await admin('POST', '/fields/directus_users', {
    field: 'phone',
    type: 'string',
    schema: { max_length: 255 },
    meta: { interface: 'input' },
  });
  const users: [string, string | null][] = [
    ['formatted', '+44 7400 123451'],
    ['national', '07400 123452'],
    ['blank1', ''],
    ['blank2', ''],
    ['dupA', '+447400123453'],
    ['dupB', '+447400123453'],
    ['garbage', 'ask reception'],
    ['good', '+447400123454'],
  ];
  for (const [name, phone] of users) {
    ids[name] = (
      await admin<{ id: string }>('POST', '/users?fields=id', {
        email: `${name.toLowerCase()}@setup-test.example.com`,
        status: 'active',
        phone,
      })
    ).id;
  }
}, 900_000);

afterAll(async () => {
  await directus?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('directus:setup against a real Directus', () => {
  it('dry-run reports what it would do and changes nothing', async () => {
    const before = await userFields();
    const report = await runSetup({
      url: directus.url,
      token: directus.adminToken,
      dryRun: true,
      fixPhones: true,
      defaultCountry: 'GB',
      createMemberRole: 'Setup Members',
    });
    expect(report.dryRun).toBe(true);
    expect(report.extension).toBe('loaded and configured (401 invalid_app_key without a key)');
    // The session strategy (the default) needs only the phone field.
    expect(report.changes.join('\n')).not.toMatch(/otp_session_uuid|token_expires_at/);
    expect(report.changes.join('\n')).toMatch(/create role "Setup Members"/);
    expect(report.problems.join('\n')).toMatch(/Cannot make directus_users\.phone unique/);
    expect(await userFields()).toEqual(before);
    expect(await phoneOf(ids.formatted!)).toBe('+44 7400 123451');
    expect(await admin<unknown[]>('GET', '/roles?filter[name][_eq]=Setup%20Members')).toEqual([]);
  });

  it('without --fix-phones: adds the validation, reports the phone problems masked, exits 1', async () => {
    const res = await runCli(['--url', directus.url, '--token', directus.adminToken]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/Changed \(1\)/);
    expect(res.stdout).toMatch(/update field directus_users\.phone: add E\.164 validation/);
    expect(res.stdout).toMatch(/User .*: phone \+44\*\*\*\*\*\*451 -> \+44\*\*\*\*\*\*451 needed/);
    expect(res.stdout).toMatch(/no country code \(pass --default-country to rewrite\)/);
    expect(res.stdout).toMatch(/Users share the number \+44\*\*\*\*\*\*453/);
    expect(res.stdout).toMatch(/Cannot make directus_users\.phone unique/);
    for (const digits of ['7400123451', '7400 123452', '7400123453', 'ask reception']) expect(res.stdout).not.toContain(digits);
    expect((await userFields()).map((f) => f.field)).toEqual(['phone']);
  });

  it('with --fix-phones: rewrites what is safe, still refuses the index while duplicates remain', async () => {
    const res = await runCli(['--url', directus.url, '--token', directus.adminToken, '--fix-phones', '--default-country', 'GB']);
    expect(res.code).toBe(1);
    expect(await phoneOf(ids.formatted!)).toBe('+447400123451');
    expect(await phoneOf(ids.national!)).toBe('+447400123452');
    expect(await phoneOf(ids.blank1!)).toBeNull();
    expect(await phoneOf(ids.dupB!)).toBe('+447400123453'); // never rewritten into/away from a duplicate
    expect(res.stdout).toMatch(/Users share the number \+44\*\*\*\*\*\*453/);
    expect(res.stdout).not.toMatch(/--fix-phones for blank/);
    expect((await userFields()).find((f) => f.field === 'phone')?.schema?.is_unique).toBe(false);
  });

  it('after manual fixes: creates the unique index, then a second run reports no changes', async () => {
    await admin('PATCH', `/users/${ids.dupB}`, { phone: null });
    await admin('PATCH', `/users/${ids.garbage}`, { phone: null });
    const first = await runSetup({
      url: directus.url,
      token: directus.adminToken,
      fixPhones: true,
      defaultCountry: 'GB',
      createMemberRole: 'Setup Members',
    });
    expect(first.problems).toEqual([]);
    expect(first.extension).toBe('loaded and configured (401 invalid_app_key without a key)');
    expect(first.changes.join('\n')).toMatch(/add unique index/);
    expect(first.memberRole?.id).toBeTruthy();
    expect((await userFields()).find((f) => f.field === 'phone')?.schema?.is_unique).toBe(true);
    await expect(admin('PATCH', `/users/${ids.dupB}`, { phone: '+447400123453' })).rejects.toThrow(/RECORD_NOT_UNIQUE/);
    await expect(admin('PATCH', `/users/${ids.dupB}`, { phone: '07400 123455' })).rejects.toThrow(/FAILED_VALIDATION/);
    await admin('PATCH', `/users/${ids.good}`, { phone: null }); // clearing a phone stays possible
    await admin('PATCH', `/users/${ids.good}`, { phone: '+447400123454' });

    const started = Date.now();
    const res = await runCli(['--url', directus.url, '--token', directus.adminToken, '--create-member-role', 'Setup Members']);
    console.log(`[setup.int] no-op CLI run incl. tsx start: ${Date.now() - started} ms`);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('No changes: already set up.');
    expect(res.stdout).toContain(`Member role "Setup Members": id ${first.memberRole?.id}`);
    expect(res.stdout).toContain('Sign-in extension: loaded and configured (401 invalid_app_key without a key)');
    expect(res.stdout).toMatch(
      /Set in the app:\n {2}DIRECTUS_CREDENTIALS=session\n {2}DIRECTUS_EXTENSION_KEY=<the SMS_SIGN_IN_APP_KEY set in Directus>\n/,
    );
    // The extension decides who is a member: the role's id must join its list there.
    expect(res.stdout).toContain(
      `Note: Role "Setup Members" (id ${first.memberRole?.id}) signs in by SMS only once its id is in the extension's SMS_SIGN_IN_MEMBER_ROLES`,
    );
    expect(res.stdout).toMatch(
      new RegExp(`Set in Directus[^\n]*\n {2}SMS_SIGN_IN_MEMBER_ROLES=<the roles there already>,${first.memberRole?.id}\n`),
    );
  });

  it('moving from static to session: offers to clear the static tokens the app wrote, and clears them on request', async () => {
    const staticRun = await runCli(['--url', directus.url, '--token', directus.adminToken, '--credentials', 'static']);
    expect(staticRun.code).toBe(0);
    expect(staticRun.stdout).toContain('create field directus_users.token_expires_at (timestamp, hidden, read-only)');
    // What the app writes for a signed-in member under the static strategy.
    const token = `static-setup-${Date.now()}`;
    await admin('PATCH', `/users/${ids.good}`, { token, token_expires_at: new Date(Date.now() + 86_400_000).toISOString() });
    const asMember = () =>
      fetch(`${directus.url}/users/me?fields=id`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await asMember()).toBe(200);

    const offer = await runCli(['--url', directus.url, '--token', directus.adminToken]);
    expect(offer.code).toBe(0);
    expect(offer.stdout).toContain(
      'Note: 1 user(s) still hold a static token the app wrote under the static strategy, valid until it expires: rerun with --clear-static-tokens to end them now.',
    );
    const dryRun = await runCli(['--url', directus.url, '--token', directus.adminToken, '--clear-static-tokens', '--dry-run']);
    expect(dryRun.stdout).toContain('Would change (1):\n  - clear the static tokens the app wrote (token, token_expires_at) of 1 user(s)');
    expect(await asMember()).toBe(200);
    const cleared = await runCli(['--url', directus.url, '--token', directus.adminToken, '--clear-static-tokens']);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toContain('Changed (1):\n  - clear the static tokens the app wrote (token, token_expires_at) of 1 user(s)');
    expect(await asMember()).toBe(401);
    // The admin's own static token has no expiry: not the app's, untouched.
    expect((await admin<{ id: string }>('GET', '/users/me?fields=id')).id).toBeTruthy();
  });

  it("--extension-key with the extension's key: it matches, exit 0, the key is not printed", async () => {
    const res = await runCli(['--url', directus.url, '--token', directus.adminToken, '--extension-key', directus.signInKey]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Sign-in extension: loaded and configured; the key you gave matches (200)');
    expect(res.stdout).toContain('DIRECTUS_EXTENSION_KEY=<the key you gave>');
    expect(res.stdout + res.stderr).not.toContain(directus.signInKey);
  });

  it('a wrong key is a problem', async () => {
    const report = await runSetup({ url: directus.url, token: directus.adminToken, extensionKey: `${directus.signInKey}-not-this-one` });
    expect(report.extension).toBe('loaded and configured; the key you gave does not match (401 invalid_app_key)');
    expect(report.problems).toEqual([expect.stringMatching(/^The key you gave is not the sms-sign-in extension's SMS_SIGN_IN_APP_KEY/)]);
  });

  it('a bad token gets one clear line and exit 2', async () => {
    const res = await runCli(['--url', directus.url, '--token', 'not-a-valid-token']);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toBe(
      `directus:setup: Directus at ${directus.url} rejected the token (401 INVALID_CREDENTIALS). Check --token / DIRECTUS_ADMIN_TOKEN.`,
    );
    expect(res.stderr).not.toContain('not-a-valid-token');
  });

  it('a non-admin token (the service token) is refused clearly', async () => {
    const err = await runSetup({ url: directus.url, token: serviceTokenOf(directus) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SetupFailure);
    expect((err as SetupFailure).message).toBe(
      `The token is not an admin token on Directus at ${directus.url}: the setup needs admin access.`,
    );
  });

  it('an unreachable URL gets one clear line and exit 2', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const res = await runCli([], { DIRECTUS_URL: url, DIRECTUS_ADMIN_TOKEN: 'x' });
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toBe(`directus:setup: Cannot reach Directus at ${url}: connection refused.`);
  });

  it('a server that never answers times out with a clear message', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const err = await runSetup({ url, token: 'x', timeoutMs: 500 }).catch((e: unknown) => e);
      expect((err as SetupFailure).message).toBe(`Directus at ${url} did not answer within 1s (timeout).`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

// After the tests above, whose fixes leave the data clean as the local start-up's own setup requires.
describe('directus:setup against a Directus whose sms-sign-in extension is misconfigured', () => {
  beforeAll(async () => {
    await directus.stop();
    directus = await startLocalDirectus({ port: PORT, dataDir, log: () => undefined, env: { SMS_SIGN_IN_MEMBER_ROLES: '' } });
  }, 120_000);

  it('dry run: reports it as a problem and prints the variables to set, with a new key and the member role', async () => {
    const [role] = await admin<{ id: string }[]>('GET', '/roles?fields=id&filter[name][_eq]=Setup%20Members');
    const res = await runCli(['--url', directus.url, '--token', directus.adminToken, '--create-member-role', 'Setup Members', '--dry-run']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('Sign-in extension: loaded, not configured (POST /sms-sign-in/lookup: 503 not_configured)');
    expect(res.stdout).toMatch(/! The sms-sign-in extension is loaded but not configured \(503 not_configured\)/);
    const key = /^ {2}SMS_SIGN_IN_APP_KEY=([A-Za-z0-9_-]{43})$/m.exec(res.stdout)?.[1];
    expect(key).toBeDefined();
    expect(res.stdout).toContain(
      [
        `  SMS_SIGN_IN_APP_KEY=${key}`,
        `  SMS_SIGN_IN_MEMBER_ROLES=${role?.id}`,
        '  SMS_SIGN_IN_PLIVO_AUTH_ID=<your Plivo auth id>',
        '  SMS_SIGN_IN_PLIVO_AUTH_TOKEN=<your Plivo auth token>',
        '  SMS_SIGN_IN_PLIVO_APP_UUID=<your Plivo Verify application uuid>',
        'Set in the app:',
        '  DIRECTUS_CREDENTIALS=session',
        `  DIRECTUS_EXTENSION_KEY=${key}`,
      ].join('\n'),
    );
  });
});

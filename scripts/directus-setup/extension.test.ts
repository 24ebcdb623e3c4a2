import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createSetupClient } from './client';
import { classifyProbe, PROBE_PHONE } from '../../lib/sign-in-extension-probe';
import { createFakeClient, FAKE_EXTENSION_KEY, fakeState, type FakeState } from './fake-client';
import { exitCodeForReport, formatReport, runSetup, type SetupOptions } from './setup';

const URL_ = 'http://directus.test';
const WRONG_KEY = 'a-wrong-key-that-is-long-enough-0123456789';
const KEY_LINE = /^ {2}SMS_SIGN_IN_APP_KEY=([A-Za-z0-9_-]{43})$/;

async function setup(extension: FakeState['extension'], options: Partial<SetupOptions> = {}) {
  const client = createFakeClient(fakeState({ extension }));
  const report = await runSetup({ url: URL_, token: 't', client, ...options });
  return { client, report, lines: formatReport(report) };
}

/** The `NAME=value` lines under a section's title. */
function section(lines: string[], title: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(title));
  if (start < 0) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !l.startsWith('  '));
  return end < 0 ? rest : rest.slice(0, end);
}
const inDirectus = (lines: string[]) => section(lines, 'Set in Directus');
const inApp = (lines: string[]) => section(lines, 'Set in the app');

describe('classifyProbe', () => {
  it('tells the extension states apart by status and code', () => {
    expect(classifyProbe({ status: 404, code: 'ROUTE_NOT_FOUND' }, false)).toBe('not-loaded');
    expect(classifyProbe({ status: 404 }, true)).toBe('not-loaded');
    expect(classifyProbe({ status: 503, code: 'not_configured' }, true)).toBe('not-configured');
    expect(classifyProbe({ status: 401, code: 'invalid_app_key' }, false)).toBe('configured');
    expect(classifyProbe({ status: 401, code: 'invalid_app_key' }, true)).toBe('key-wrong');
    expect(classifyProbe({ status: 200 }, true)).toBe('key-matches');
    expect(classifyProbe({ status: 503, code: 'phone_field_missing' }, true)).toBe('no-phone-field');
  });

  it('calls anything else unexpected', () => {
    for (const probe of [
      { status: 200 }, // without a key
      { status: 200, code: 'NOT_DIRECTUS' },
      { status: 401, code: 'INVALID_CREDENTIALS' },
      { status: 503, code: 'session_unavailable' },
      { status: 502 },
      { status: 500, code: 'internal_error' },
    ]) {
      expect(classifyProbe(probe, probe.code === 'NOT_DIRECTUS')).toBe('unexpected');
    }
  });
});

describe('the extension check in runSetup', () => {
  it('not loaded: a problem pointing to the install guide, and every variable to set with one new key', async () => {
    const { report, lines } = await setup({ loaded: false }, { createMemberRole: 'Member' });
    expect(exitCodeForReport(report)).toBe(1);
    expect(lines).toContain('Sign-in extension: not loaded (POST /sms-sign-in/lookup: 404 ROUTE_NOT_FOUND)');
    expect(report.problems).toEqual([
      expect.stringMatching(
        /^The sms-sign-in extension is not loaded on this Directus .*extensions\/sms-sign-in\/README\.md, "Install on a self-hosted Directus".*--credentials static\.$/,
      ),
    ]);
    const directus = inDirectus(lines);
    const key = KEY_LINE.exec(directus[0] ?? '')?.[1];
    expect(key).toBeDefined();
    expect(directus).toEqual([
      `  SMS_SIGN_IN_APP_KEY=${key}`,
      `  SMS_SIGN_IN_MEMBER_ROLES=${report.memberRole?.id}`,
      '  SMS_SIGN_IN_PLIVO_AUTH_ID=<your Plivo auth id>',
      '  SMS_SIGN_IN_PLIVO_AUTH_TOKEN=<your Plivo auth token>',
      '  SMS_SIGN_IN_PLIVO_APP_UUID=<your Plivo Verify application uuid>',
    ]);
    expect(report.memberRole?.id).toMatch(/^role-/);
    expect(inApp(lines)).toEqual(['  DIRECTUS_CREDENTIALS=session', `  DIRECTUS_EXTENSION_KEY=${key}`]);
    expect(lines).toContain(
      'Note: SMS_SIGN_IN_APP_KEY and DIRECTUS_EXTENSION_KEY below are a new random key made for this run: set the same in both, and keep it secret.',
    );
    // The variables come last, ready to copy.
    expect(lines.slice(-9)).toEqual([lines.find((l) => l.startsWith('Set in Directus')), ...directus, 'Set in the app:', ...inApp(lines)]);
  });

  it('not configured, dry run, with a key: still probes, writes nothing, never prints the key', async () => {
    const { client, report, lines } = await setup(
      { loaded: true, key: null },
      { dryRun: true, createMemberRole: 'Member', extensionKey: WRONG_KEY },
    );
    expect(client.calls).toContain('probeExtension');
    expect(client.writes()).toBe(0);
    expect(exitCodeForReport(report)).toBe(1);
    expect(lines).toContain('Sign-in extension: loaded, not configured (POST /sms-sign-in/lookup: 503 not_configured)');
    expect(report.problems).toEqual([
      expect.stringMatching(/^The sms-sign-in extension is loaded but not configured \(503 not_configured\).*"sms-sign-in:"/),
    ]);
    expect(inDirectus(lines).slice(0, 2)).toEqual([
      '  SMS_SIGN_IN_APP_KEY=<the key you gave>',
      '  SMS_SIGN_IN_MEMBER_ROLES=<the id of role "Member">',
    ]);
    expect(inApp(lines)).toEqual(['  DIRECTUS_CREDENTIALS=session', '  DIRECTUS_EXTENSION_KEY=<the key you gave>']);
    expect(report.notes.join('\n')).not.toMatch(/new random key/);
    expect(JSON.stringify(report)).not.toContain(WRONG_KEY);
  });

  it('without a member role, the roles are a placeholder', async () => {
    const { lines } = await setup({ loaded: true, key: null });
    expect(inDirectus(lines)[1]).toBe('  SMS_SIGN_IN_MEMBER_ROLES=<the member role id (--create-member-role NAME creates or finds it)>');
  });

  it('configured, no key given: no problem, only the app variables, and how to check the key', async () => {
    const { report, lines } = await setup({ loaded: true, key: FAKE_EXTENSION_KEY });
    expect(report.problems).toEqual([]);
    expect(exitCodeForReport(report)).toBe(0);
    expect(lines).toContain('Sign-in extension: loaded and configured (401 invalid_app_key without a key)');
    expect(lines).toContain("Note: Pass --extension-key (or DIRECTUS_EXTENSION_KEY) to check the app's key against the extension's.");
    expect(inDirectus(lines)).toEqual([]);
    expect(inApp(lines)).toEqual(['  DIRECTUS_CREDENTIALS=session', '  DIRECTUS_EXTENSION_KEY=<the SMS_SIGN_IN_APP_KEY set in Directus>']);
  });

  it('the right key: it matches, exit 0, not printed', async () => {
    const { report, lines } = await setup({ loaded: true, key: FAKE_EXTENSION_KEY }, { extensionKey: FAKE_EXTENSION_KEY });
    expect(exitCodeForReport(report)).toBe(0);
    expect(lines).toContain('Sign-in extension: loaded and configured; the key you gave matches (200)');
    expect(inApp(lines)).toEqual(['  DIRECTUS_CREDENTIALS=session', '  DIRECTUS_EXTENSION_KEY=<the key you gave>']);
    expect(lines.join('\n')).not.toContain(FAKE_EXTENSION_KEY);
  });

  it('a wrong key: a problem, exit 1, not printed', async () => {
    const { report, lines } = await setup({ loaded: true, key: FAKE_EXTENSION_KEY }, { extensionKey: WRONG_KEY });
    expect(exitCodeForReport(report)).toBe(1);
    expect(lines).toContain('Sign-in extension: loaded and configured; the key you gave does not match (401 invalid_app_key)');
    expect(report.problems).toEqual([expect.stringMatching(/^The key you gave is not the sms-sign-in extension's SMS_SIGN_IN_APP_KEY/)]);
    expect(inApp(lines)).toEqual(['  DIRECTUS_CREDENTIALS=session', '  DIRECTUS_EXTENSION_KEY=<the SMS_SIGN_IN_APP_KEY set in Directus>']);
    expect(JSON.stringify([report, lines])).not.toContain(WRONG_KEY);
  });

  it('--credentials static: no probe, a note, the static variables', async () => {
    const { client, report, lines } = await setup({ loaded: false }, { credentials: 'static' });
    expect(client.calls).not.toContain('probeExtension');
    expect(report.problems).toEqual([]);
    expect(report.extension).toBeUndefined();
    expect(report.notes).toEqual([
      expect.stringMatching(/^Sign-in extension not checked \(--credentials static\): .*"The static strategy's service account"\)\.$/),
      expect.stringMatching(/^That service user also needs read on directus_roles, directus_access and directus_policies: /),
      'With SIGN_UP=open the app also needs DIRECTUS_MEMBER_ROLE=<the member role id (--create-member-role NAME creates or finds it)>, the role newcomers get (one of DIRECTUS_MEMBER_ROLES).',
    ]);
    expect(inDirectus(lines)).toEqual([]);
    expect(inApp(lines)).toEqual([
      '  DIRECTUS_CREDENTIALS=static',
      "  DIRECTUS_TOKEN=<the app's service user's static token>",
      '  DIRECTUS_MEMBER_ROLES=<the member role id (--create-member-role NAME creates or finds it)>',
    ]);
  });

  it('every README section a note names exists there', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const titles = readme.split('\n').flatMap((line) => /^#+ (.*)$/.exec(line)?.[1] ?? []);
    const { report } = await setup({ loaded: false }, { credentials: 'static' });
    const named = report.notes.flatMap((note) => [...note.matchAll(/README\.md, "([^"]+)"/g)].map((match) => match[1]!));
    expect(named.length).toBeGreaterThan(0);
    for (const title of named) expect(titles.some((heading) => heading.startsWith(title))).toBe(true);
  });

  it.each([
    ['configured, no key given', { loaded: true, key: FAKE_EXTENSION_KEY }, {}],
    ['the right key', { loaded: true, key: FAKE_EXTENSION_KEY }, { extensionKey: FAKE_EXTENSION_KEY }],
  ] as const)(
    'a member role against a configured extension (%s): its id must join SMS_SIGN_IN_MEMBER_ROLES',
    async (_name, extension, options) => {
      const { report, lines } = await setup(extension, { createMemberRole: 'Customer', ...options });
      const id = report.memberRole?.id;
      expect(id).toMatch(/^role-/);
      expect(lines).toContain(
        `Note: Role "Customer" (id ${id}) signs in by SMS only once its id is in the extension's SMS_SIGN_IN_MEMBER_ROLES in Directus ` +
          '(comma-separated, beside the roles there already), and Directus is restarted: until then its users get what strangers get.',
      );
      expect(inDirectus(lines)).toEqual([`  SMS_SIGN_IN_MEMBER_ROLES=<the roles there already>,${id}`]);
    },
  );

  it("static: a member role is printed as the app's DIRECTUS_MEMBER_ROLES, and as DIRECTUS_MEMBER_ROLE for sign-up", async () => {
    const { report, lines } = await setup({ loaded: false }, { credentials: 'static', createMemberRole: 'Customer' });
    const id = report.memberRole?.id;
    expect(inApp(lines)).toContain(`  DIRECTUS_MEMBER_ROLES=${id}`);
    expect(lines).toContain(
      `Note: With SIGN_UP=open the app also needs DIRECTUS_MEMBER_ROLE=${id}, the role newcomers get (one of DIRECTUS_MEMBER_ROLES).`,
    );
  });

  it('probes after the fields are in place: on a Directus without the phone field yet, the right key matches', async () => {
    const client = createFakeClient(fakeState({ extension: { loaded: true, key: FAKE_EXTENSION_KEY } }));
    const report = await runSetup({ url: URL_, token: 't', client, extensionKey: FAKE_EXTENSION_KEY });
    expect(client.calls.indexOf('probeExtension')).toBeGreaterThan(client.calls.indexOf('createUserField phone'));
    expect(report.extension).toBe('loaded and configured; the key you gave matches (200)');
    expect(report.problems).toEqual([]);
  });

  it('dry run without the phone field: the key matches and the extension waits for the field the setup would create', async () => {
    const client = createFakeClient(fakeState({ extension: { loaded: true, key: FAKE_EXTENSION_KEY } }));
    const report = await runSetup({ url: URL_, token: 't', client, extensionKey: FAKE_EXTENSION_KEY, dryRun: true });
    expect(client.writes()).toBe(0);
    expect(report.extension).toBe(
      'loaded and configured; the key you gave matches (503 phone_field_missing: it waits for the phone field this setup creates)',
    );
    expect(report.problems).toEqual([]);
  });

  it('a phone field the extension still cannot find after the setup is a problem', async () => {
    const client = createFakeClient(fakeState({ extension: { loaded: true, key: FAKE_EXTENSION_KEY } }));
    client.probeExtension = async () => ({ status: 503, code: 'phone_field_missing' });
    const report = await runSetup({ url: URL_, token: 't', client, extensionKey: FAKE_EXTENSION_KEY });
    expect(report.problems).toEqual([expect.stringMatching(/^The sms-sign-in extension finds no directus_users\.phone column/)]);
  });

  it('adviseCredentials false (the local stack): no probe and nothing about credentials', async () => {
    const { client, report, lines } = await setup({ loaded: false }, { adviseCredentials: false });
    expect(client.calls).not.toContain('probeExtension');
    expect(report).toMatchObject({ problems: [], notes: [], variables: { directus: [], app: [] } });
    expect(lines.join('\n')).not.toMatch(/extension|Set in|=/i);
  });
});

describe('probeExtension over HTTP', () => {
  const probeWith = (answer: () => Response, key?: string) => {
    const requests: Request[] = [];
    const client = createSetupClient({
      url: `${URL_}/`,
      token: 'admin-token',
      fetch: async (input, init) => {
        requests.push(new Request(input, init));
        return answer();
      },
    });
    return { requests, probe: client.probeExtension(key) };
  };

  it('posts a harmless lookup with the key, without the admin token', async () => {
    const { requests, probe } = probeWith(() => Response.json({ member: null }), FAKE_EXTENSION_KEY);
    expect(await probe).toEqual({ status: 200 });
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`${URL_}/sms-sign-in/lookup`);
    expect(request?.headers.get('X-SMS-Sign-In-Key')).toBe(FAKE_EXTENSION_KEY);
    expect(request?.headers.get('Authorization')).toBeNull();
    expect(await request?.json()).toEqual({ phone: PROBE_PHONE });
    expect(request?.signal).toBeDefined();
  });

  it("reads the extension's error shape, Directus's, and non-JSON answers", async () => {
    const extension = probeWith(() => Response.json({ error: { code: 'not_configured', message: 'x' } }, { status: 503 }));
    expect(await extension.probe).toEqual({ status: 503, code: 'not_configured' });
    expect(extension.requests[0]?.headers.get('X-SMS-Sign-In-Key')).toBeNull();
    const directus = probeWith(() =>
      Response.json(
        { errors: [{ message: "Route /sms-sign-in/lookup doesn't exist.", extensions: { code: 'ROUTE_NOT_FOUND' } }] },
        { status: 404 },
      ),
    );
    expect(await directus.probe).toEqual({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(await probeWith(() => new Response('<html/>', { status: 200 }), FAKE_EXTENSION_KEY).probe).toEqual({
      status: 200,
      code: 'NOT_DIRECTUS',
    });
    expect(await probeWith(() => new Response('Bad gateway', { status: 502 })).probe).toEqual({ status: 502, code: undefined });
  });

  it('lets connection failures through (the setup then stops with exit 2)', async () => {
    const client = createSetupClient({
      url: URL_,
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    });
    await expect(client.probeExtension()).rejects.toThrow('fetch failed');
  });
});

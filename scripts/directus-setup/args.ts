// Command-line parsing for `npm run directus:setup` (pure, testable).
import { parseArgs } from 'node:util';
import type { CountryCode } from 'libphonenumber-js/max';
import { LOCAL_STACK } from '../../lib/local-stack';
import { SetupFailure } from './errors';
import { CREDENTIALS, type Credentials } from './extension';
import { isCountryCode } from './phones';
import type { SetupOptions } from './setup';

export const USAGE = `Usage: npm run directus:setup -- [--url URL] [--token ADMIN_TOKEN] [--dry-run]
         [--create-member-role NAME] [--fix-phones [--default-country GB]]
         [--credentials session|static] [--extension-key KEY] [--clear-static-tokens]
         [--timeout SECONDS]

  --url                 Directus URL (or DIRECTUS_URL; default: the local stack, ${LOCAL_STACK.directus.url})
  --token               an admin's static token (or DIRECTUS_ADMIN_TOKEN; default: the local stack's)
  --dry-run             report what would change, change nothing
  --create-member-role  create (if missing) a role NAME with a policy without Studio/admin access
  --fix-phones          rewrite existing phone values to E.164 where safe
  --default-country     ISO country (e.g. GB) for stored numbers without a leading +
  --credentials         the app's credential strategy (default session: checks that Directus runs
                        the sms-sign-in extension, configured); static skips that check
  --extension-key       the app's key for the extension (or DIRECTUS_EXTENSION_KEY), checked
                        against its SMS_SIGN_IN_APP_KEY; never printed
  --clear-static-tokens with session, after a move from static: null the static tokens the app
                        wrote (token, token_expires_at), which Directus accepts until then
  --timeout             per-request timeout in seconds (default 10)

Exit codes: 0 ok, 1 problems found, 2 usage/connection/permission errors.`;

/** The extension's (and the app's) minimum for SMS_SIGN_IN_APP_KEY / DIRECTUS_EXTENSION_KEY. */
const MIN_KEY_LENGTH = 32;

const isCredentials = (value: string): value is Credentials => (CREDENTIALS as readonly string[]).includes(value);

export type ParsedArgs = { help: true } | { help: false; options: SetupOptions; usingLocalDefaults: boolean };

export function parseSetupArgs(argv: string[], env: Record<string, string | undefined> = process.env): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'create-member-role': { type: 'string' },
        'fix-phones': { type: 'boolean' },
        'default-country': { type: 'string' },
        credentials: { type: 'string' },
        'extension-key': { type: 'string' },
        'clear-static-tokens': { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new SetupFailure('usage', `${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.help) return { help: true };

  const givenUrl = values.url ?? env.DIRECTUS_URL;
  const givenToken = values.token ?? env.DIRECTUS_ADMIN_TOKEN;
  const usingLocalDefaults = !givenUrl && !givenToken;
  if (!usingLocalDefaults && (!givenUrl || !givenToken)) {
    throw new SetupFailure(
      'usage',
      givenUrl
        ? `Missing admin token for ${givenUrl}: pass --token or set DIRECTUS_ADMIN_TOKEN.`
        : 'Missing Directus URL: pass --url or set DIRECTUS_URL.',
    );
  }
  const url = givenUrl ?? LOCAL_STACK.directus.url;
  const token = givenToken ?? LOCAL_STACK.directus.adminToken;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new SetupFailure('usage', `Invalid Directus URL "${url}": expected http(s)://host[:port].`);
  }

  let defaultCountry: CountryCode | undefined;
  if (values['default-country'] !== undefined) {
    const cc = values['default-country'].toUpperCase();
    if (!isCountryCode(cc))
      throw new SetupFailure(
        'usage',
        `Unknown --default-country "${values['default-country']}": use an ISO 3166-1 alpha-2 code such as GB.`,
      );
    defaultCountry = cc;
  }
  if (defaultCountry && !values['fix-phones']) {
    throw new SetupFailure('usage', '--default-country only makes sense with --fix-phones.');
  }
  const role = values['create-member-role'];
  if (role !== undefined && role.trim() === '') throw new SetupFailure('usage', '--create-member-role needs a role name.');

  const credentials = values.credentials ?? 'session';
  if (!isCredentials(credentials)) {
    throw new SetupFailure('usage', `Unknown --credentials "${credentials}": use ${CREDENTIALS.join(' or ')}.`);
  }
  if (values['extension-key'] !== undefined && credentials !== 'session') {
    throw new SetupFailure('usage', '--extension-key only makes sense with --credentials session.');
  }
  if (values['clear-static-tokens'] && credentials !== 'session') {
    throw new SetupFailure(
      'usage',
      '--clear-static-tokens only makes sense with --credentials session (the static strategy uses those tokens).',
    );
  }
  const extensionKey = credentials === 'session' ? (values['extension-key'] ?? (env.DIRECTUS_EXTENSION_KEY || undefined)) : undefined;
  if (extensionKey !== undefined && extensionKey.length < MIN_KEY_LENGTH) {
    throw new SetupFailure(
      'usage',
      `The extension key you gave is shorter than ${MIN_KEY_LENGTH} characters: the extension refuses such keys.`,
    );
  }

  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const secs = Number(values.timeout);
    if (!Number.isFinite(secs) || secs <= 0) throw new SetupFailure('usage', `Invalid --timeout "${values.timeout}": seconds > 0.`);
    timeoutMs = secs * 1000;
  }

  return {
    help: false,
    usingLocalDefaults,
    options: {
      url,
      token,
      dryRun: !!values['dry-run'],
      createMemberRole: role?.trim(),
      fixPhones: !!values['fix-phones'],
      defaultCountry,
      credentials,
      extensionKey,
      clearStaticTokens: !!values['clear-static-tokens'],
      timeoutMs,
    },
  };
}

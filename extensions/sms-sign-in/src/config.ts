// Reads the extension's settings from the env Directus hands to extensions. Directus casts env
// values by guessing (a number-like value becomes a number, a value with commas a list, `true` a
// boolean), so each reader accepts those forms and turns them back into what the setting means.

import type { SessionSigning } from './directus-session';

const MIN_APP_KEY_LENGTH = 32;
const DEFAULT_PLIVO_API_URL = 'https://api.plivo.com';
const DEFAULT_CODE_LIFETIME_SECONDS = 600;
const DEFAULT_PLIVO_TIMEOUT_MS = 5000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PlivoSettings {
  apiUrl: string;
  authId: string;
  authToken: string;
  appUuid: string;
  timeoutMs: number;
}

export interface SignInConfig {
  appKey: string;
  /** The key the app used before a rotation (SMS_SIGN_IN_APP_KEY_PREVIOUS), accepted beside appKey until it is unset; null: none. */
  previousAppKey: string | null;
  memberRoles: ReadonlySet<string>;
  /** The role a newcomer gets when the app signs them up (SMS_SIGN_IN_SIGN_UP_ROLE); null: sign-up is off. */
  signUpRole: string | null;
  /** null only when SMS_SIGN_IN_PLIVO_PROOF=off: issue then trusts the app's word. */
  plivo: PlivoSettings | null;
  codeLifetimeSeconds: number;
  /** How issue signs a session's token: Directus's SECRET and SESSION_COOKIE_TTL. */
  session: SessionSigning;
  /** The app's test numbers (its TEST_PHONE_NUMBERS), which Plivo never sends anything, so issue asks it nothing for them. */
  testPhones: ReadonlySet<string>;
  /** Passkeys: off until SMS_SIGN_IN_PASSKEY_RP_ID names the relying party, refused (503) while one of their settings is wrong. */
  passkeys: PasskeyConfig;
}

export interface PasskeySettings {
  /** The relying party id: the app's host or a parent domain of it. */
  rpId: string;
  rpName: string;
  /** The exact origins (scheme://host[:port]) the app's pages are served from. */
  origins: string[];
  /** How recent an SMS sign-in must be for its session to add a passkey. */
  recentSignInSeconds: number;
}

export type PasskeyConfig = { state: 'off' } | { state: 'invalid'; problems: string[] } | { state: 'on'; settings: PasskeySettings };

export type ConfigResult = { ok: true; config: SignInConfig } | { ok: false; problems: string[] };

type Env = Record<string, unknown>;

/** A setting as text: Directus may have cast it to a number or boolean; lists are joined back. */
function text(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value).trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function readAppKey(env: Env, name: string, problems: string[]): string {
  const value = env[name];
  // A key Directus read as a number or JSON has lost its exact text: refuse rather than guess.
  if (typeof value !== 'string') {
    problems.push(`${name} was read as a number, list or JSON by Directus; write it as string:<key>`);
    return '';
  }
  if (value.length < MIN_APP_KEY_LENGTH) problems.push(`${name} must be at least ${MIN_APP_KEY_LENGTH} characters`);
  return value;
}

const isUnset = (value: unknown) => value === undefined || value === null || value === '';

function readCurrentAppKey(env: Env, problems: string[]): string {
  if (isUnset(env.SMS_SIGN_IN_APP_KEY)) {
    problems.push('SMS_SIGN_IN_APP_KEY is not set (at least 32 random characters: openssl rand -base64 32)');
    return '';
  }
  return readAppKey(env, 'SMS_SIGN_IN_APP_KEY', problems);
}

/** During a rotation only: the key the app may still send until it has been switched to the new one. */
function readPreviousAppKey(env: Env, appKey: string, problems: string[]): string | null {
  if (isUnset(env.SMS_SIGN_IN_APP_KEY_PREVIOUS)) return null;
  const previous = readAppKey(env, 'SMS_SIGN_IN_APP_KEY_PREVIOUS', problems);
  if (previous && previous === appKey)
    problems.push('SMS_SIGN_IN_APP_KEY_PREVIOUS is the same as SMS_SIGN_IN_APP_KEY: set it to the key being replaced, or unset it');
  return previous;
}

function readMemberRoles(env: Env, problems: string[]): Set<string> {
  const ids = (text(env, 'SMS_SIGN_IN_MEMBER_ROLES') ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
  if (ids.length === 0) problems.push('SMS_SIGN_IN_MEMBER_ROLES must list the member role ids (comma-separated)');
  for (const id of ids) if (!UUID.test(id)) problems.push(`SMS_SIGN_IN_MEMBER_ROLES: "${id}" is not a role id (a UUID)`);
  return new Set(ids);
}

function readPlivo(env: Env, problems: string[]): PlivoSettings | null {
  const proof = (text(env, 'SMS_SIGN_IN_PLIVO_PROOF') ?? 'on').toLowerCase();
  if (proof === 'off') return null;
  if (proof !== 'on') problems.push(`SMS_SIGN_IN_PLIVO_PROOF must be "on" (the default) or "off" (got "${proof}")`);
  const required = (name: string): string => {
    const value = text(env, name);
    if (value === undefined) problems.push(`${name} is required while SMS_SIGN_IN_PLIVO_PROOF is on`);
    return value ?? '';
  };
  const authId = required('SMS_SIGN_IN_PLIVO_AUTH_ID');
  const authToken = required('SMS_SIGN_IN_PLIVO_AUTH_TOKEN');
  const appUuid = required('SMS_SIGN_IN_PLIVO_APP_UUID').toLowerCase();
  if (appUuid && !UUID.test(appUuid)) problems.push('SMS_SIGN_IN_PLIVO_APP_UUID must be the Verify application UUID');
  const apiUrl = (text(env, 'SMS_SIGN_IN_PLIVO_API_URL') ?? DEFAULT_PLIVO_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(apiUrl)) problems.push(`SMS_SIGN_IN_PLIVO_API_URL must be an http(s) URL (got "${apiUrl}")`);
  const timeoutMs = integer(env, 'SMS_SIGN_IN_PLIVO_TIMEOUT_MS', DEFAULT_PLIVO_TIMEOUT_MS, 500, 60_000, problems);
  return { apiUrl, authId, authToken, appUuid, timeoutMs };
}

/** Sign-up is the Directus admin's decision too: only with a role named here, one of the member roles. */
function readSignUpRole(env: Env, memberRoles: ReadonlySet<string>, problems: string[]): string | null {
  const id = text(env, 'SMS_SIGN_IN_SIGN_UP_ROLE')?.toLowerCase();
  if (id === undefined) return null;
  // With no member roles at all, that one problem is reported already.
  if (memberRoles.size > 0 && !memberRoles.has(id))
    problems.push(`SMS_SIGN_IN_SIGN_UP_ROLE: "${id}" must be one of SMS_SIGN_IN_MEMBER_ROLES`);
  return id;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Directus durations: a number of ms, or a number with one unit ("15m", "1d"). Else null. */
export function durationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(String(value ?? '').trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
}

/** Directus's default SESSION_COOKIE_TTL, for an env that does not name it. */
const DIRECTUS_SESSION_TTL = '1d';

function readSessionSigning(env: Env, problems: string[]): SessionSigning {
  // Without SECRET Directus signs with a random secret of its own, which no extension can read.
  const secret = text(env, 'SECRET') ?? '';
  if (!secret)
    problems.push(
      'SECRET is not set: Directus then signs tokens with a random secret of its own, and issue cannot sign the sessions it opens',
    );
  const ttlMs = durationMs(env.SESSION_COOKIE_TTL ?? DIRECTUS_SESSION_TTL);
  if (ttlMs === null || ttlMs < 1000) problems.push('SESSION_COOKIE_TTL must be a duration such as 1d, 12h or 30m');
  return { secret, ttlMs: ttlMs ?? 0 };
}

/**
 * Directus's DB_CLIENT names of the databases whose SQL the extension's queries are written and
 * tested for. On any other (mssql, oracledb, cockroachdb…) a claim or a sign-up could behave
 * differently, so the extension refuses to run rather than guess.
 */
const SUPPORTED_DB_CLIENTS = ['sqlite3', 'pg', 'mysql'];

function checkDatabaseClient(env: Env, problems: string[]): void {
  const client = text(env, 'DB_CLIENT');
  if (client === undefined) problems.push('DB_CLIENT is not set: the extension runs on sqlite3, pg and mysql');
  else if (!SUPPORTED_DB_CLIENTS.includes(client)) {
    problems.push(
      `DB_CLIENT "${client}" is a database sms-sign-in does not support: it runs on sqlite3, pg and mysql (SQLite, PostgreSQL, MySQL/MariaDB)`,
    );
  }
}

function readTestPhones(env: Env, problems: string[]): Set<string> {
  const raw = env.SMS_SIGN_IN_TEST_PHONE_NUMBERS;
  const items: unknown[] = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.split(',')
      : raw === undefined || raw === null
        ? []
        : [raw];
  // Directus reads "+447400123456" as the number 447400123456: give it its "+" back.
  const phones = items.map((item) => (typeof item === 'number' ? `+${item}` : String(item).trim())).filter(Boolean);
  for (const phone of phones) {
    if (!/^\+[1-9]\d{6,14}$/.test(phone))
      problems.push('SMS_SIGN_IN_TEST_PHONE_NUMBERS must list E.164 numbers (+ and digits), comma-separated');
  }
  return new Set(phones);
}

const DEFAULT_RECENT_SIGN_IN_SECONDS = 600;
const RP_ID = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Whether the browser lets a page on `host` use `rpId`: the host itself or a parent domain of it. */
function hostMayUse(host: string, rpId: string): boolean {
  return host === rpId || host.endsWith(`.${rpId}`);
}

/**
 * Passkeys are off until SMS_SIGN_IN_PASSKEY_RP_ID is set. Their problems are kept apart from the
 * others': a wrong passkey setting turns off passkeys (503 passkeys_not_configured), not SMS sign-in.
 */
export function readPasskeys(env: Env): PasskeyConfig {
  const rpId = text(env, 'SMS_SIGN_IN_PASSKEY_RP_ID')?.toLowerCase();
  const originsText = text(env, 'SMS_SIGN_IN_PASSKEY_ORIGINS');
  if (rpId === undefined && originsText === undefined) return { state: 'off' };
  const problems: string[] = [];
  if (rpId === undefined || !RP_ID.test(rpId))
    problems.push('SMS_SIGN_IN_PASSKEY_RP_ID must be a domain name such as example.com or localhost');
  const origins = (originsText ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (origins.length === 0)
    problems.push("SMS_SIGN_IN_PASSKEY_ORIGINS must list the app's origins (comma-separated, e.g. https://app.example.com)");
  for (const origin of origins) {
    const url = URL.canParse(origin) ? new URL(origin) : null;
    const exact = url !== null && url.origin === origin && ['https:', 'http:'].includes(url.protocol);
    if (!exact) problems.push(`SMS_SIGN_IN_PASSKEY_ORIGINS: "${origin}" is not an origin (scheme://host[:port], nothing after it)`);
    else if (url.protocol === 'http:' && url.hostname !== 'localhost')
      problems.push(`SMS_SIGN_IN_PASSKEY_ORIGINS: "${origin}" must be https (browsers allow passkeys over http only on localhost)`);
    else if (rpId !== undefined && !hostMayUse(url.hostname, rpId))
      problems.push(`SMS_SIGN_IN_PASSKEY_ORIGINS: "${origin}" is not on SMS_SIGN_IN_PASSKEY_RP_ID (${rpId}) or a subdomain of it`);
  }
  const rpName = text(env, 'SMS_SIGN_IN_PASSKEY_RP_NAME') ?? rpId ?? '';
  if (rpName.length > 64) problems.push('SMS_SIGN_IN_PASSKEY_RP_NAME must be at most 64 characters');
  const recentSignInSeconds = integer(
    env,
    'SMS_SIGN_IN_PASSKEY_RECENT_SIGN_IN_SECONDS',
    DEFAULT_RECENT_SIGN_IN_SECONDS,
    60,
    3600,
    problems,
  );
  if (problems.length > 0) return { state: 'invalid', problems };
  return { state: 'on', settings: { rpId: rpId!, rpName, origins, recentSignInSeconds } };
}

export function readConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  const appKey = readCurrentAppKey(env, problems);
  const memberRoles = readMemberRoles(env, problems);
  const config: SignInConfig = {
    appKey,
    previousAppKey: readPreviousAppKey(env, appKey, problems),
    memberRoles,
    signUpRole: readSignUpRole(env, memberRoles, problems),
    plivo: readPlivo(env, problems),
    codeLifetimeSeconds: integer(env, 'SMS_SIGN_IN_CODE_LIFETIME_SECONDS', DEFAULT_CODE_LIFETIME_SECONDS, 30, 3600, problems),
    session: readSessionSigning(env, problems),
    testPhones: readTestPhones(env, problems),
    passkeys: readPasskeys(env),
  };
  checkDatabaseClient(env, problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

// Checks request bodies. Anything unexpected is a 400 with a stable code, never a 500.
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { SignInError } from './errors';

/** Far above what the app sends (an issue body with a 1,024-character user agent is under 2 KiB). */
export const MAX_BODY_BYTES = 16 * 1024;

const E164 = /^\+[1-9]\d{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Directus keeps at most this much of a user agent (it cuts longer ones itself). */
export const MAX_USER_AGENT_LENGTH = 1024;

export interface LookupInput {
  phone: string;
}

export interface IssueInput {
  phone: string;
  plivoSessionUuid: string;
  ip: string;
  userAgent: string | null;
  /** The reference lookup answered, when the app passes it back: the number must still be that member's. */
  member: string | null;
  /** Create the member first when nobody holds this phone (the app's SIGN_UP=open). */
  signUp: boolean;
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
}

function phone(body: unknown): string {
  const value = field(body, 'phone');
  if (typeof value !== 'string' || !E164.test(value)) throw new SignInError('invalid_phone');
  return value;
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/;

/** The Origin header the app may forward, recorded with the session: kept only if it is one (≤ 255 characters). */
export function parseOrigin(value: string | undefined): string | null {
  return value && value.length <= 255 && ORIGIN.test(value) ? value : null;
}

/**
 * The body of an app-key route, which runs before Directus's JSON parser: JSON of at most
 * MAX_BODY_BYTES (whatever its Content-Type says), else `invalid_body`, read no further than that.
 */
export async function readJsonBody(request: Readable & { headers: Record<string, string | string[] | undefined> }): Promise<unknown> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw new SignInError('invalid_body');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new SignInError('invalid_body'); // leaving the loop stops reading
      chunks.push(chunk);
    }
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    // Too long, not UTF-8, not JSON, or the caller gave up half way.
    throw new SignInError('invalid_body');
  }
}

export function parseLookup(body: unknown): LookupInput {
  return { phone: phone(body) };
}

/** A name as a person types it: trimmed, 1 to 50 characters, no control characters; else undefined. */
function typedName(value: unknown): string | undefined {
  const name = typeof value === 'string' ? value.trim() : '';
  return name.length < 1 || name.length > 50 || /\p{Cc}/u.test(name) ? undefined : name;
}

export function parseFirstName(body: unknown): string {
  const name = typedName(field(body, 'first_name'));
  if (name === undefined) throw new SignInError('invalid_first_name');
  return name;
}

export function parsePasskeyName(body: unknown): string {
  const name = typedName(field(body, 'name'));
  if (name === undefined) throw new SignInError('invalid_passkey_name');
  return name;
}

const CEREMONY = /^[A-Za-z0-9_-]{43}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Room for a credential id past the 1023 bytes WebAuthn allows, so that such an id is refused by that rule, not by its length. */
const MAX_RESPONSE_ID_LENGTH = 2048;

export interface CeremonyAnswer {
  ceremony: string;
  /** The browser's PublicKeyCredential as JSON, checked by @simplewebauthn/server; only its shape here. */
  response: { id: string } & Record<string, unknown>;
}

/** The ceremony id the options route answered and the browser's credential for it. */
export function parseCeremonyAnswer(body: unknown): CeremonyAnswer {
  const ceremony = field(body, 'ceremony');
  if (typeof ceremony !== 'string' || !CEREMONY.test(ceremony)) throw new SignInError('invalid_ceremony');
  const response = field(body, 'response');
  const id = field(response, 'id');
  if (
    typeof id !== 'string' ||
    id.length > MAX_RESPONSE_ID_LENGTH ||
    !BASE64URL.test(id) ||
    typeof field(response, 'response') !== 'object'
  )
    throw new SignInError('invalid_passkey_response');
  return { ceremony, response: response as CeremonyAnswer['response'] };
}

export interface PasskeySignInInput extends CeremonyAnswer {
  ip: string;
  userAgent: string | null;
}

export function parsePasskeySignIn(body: unknown): PasskeySignInInput {
  return { ...parseCeremonyAnswer(body), ...parseClient(body) };
}

export interface PasskeyRegisterInput extends CeremonyAnswer {
  /** The member's name for it; null: the extension names it. */
  name: string | null;
}

export function parsePasskeyRegister(body: unknown): PasskeyRegisterInput {
  return { ...parseCeremonyAnswer(body), name: field(body, 'name') === undefined ? null : parsePasskeyName(body) };
}

const PASSKEY_ID = /^[0-9a-f]{64}$/;

export function parsePasskeyId(value: string): string {
  if (!PASSKEY_ID.test(value)) throw new SignInError('invalid_passkey_id');
  return value;
}

/** The member's address and browser, which the session row records. */
function parseClient(body: unknown): { ip: string; userAgent: string | null } {
  const ip = field(body, 'ip');
  if (typeof ip !== 'string' || isIP(ip) === 0) throw new SignInError('invalid_ip');
  const userAgent = field(body, 'user_agent') ?? null;
  if (userAgent !== null && typeof userAgent !== 'string') throw new SignInError('invalid_user_agent');
  return { ip, userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null };
}

export function parseIssue(body: unknown): IssueInput {
  const input = { phone: phone(body) };
  const uuid = field(body, 'plivo_session_uuid');
  if (typeof uuid !== 'string' || !UUID.test(uuid)) throw new SignInError('invalid_plivo_session_uuid');
  const client = parseClient(body);
  const member = field(body, 'member') ?? null;
  if (member !== null && (typeof member !== 'string' || member.length > 100)) throw new SignInError('invalid_member');
  const signUp = field(body, 'sign_up') ?? false;
  if (typeof signUp !== 'boolean') throw new SignInError('invalid_sign_up');
  return {
    ...input,
    plivoSessionUuid: uuid.toLowerCase(),
    ...client,
    member,
    signUp,
  };
}

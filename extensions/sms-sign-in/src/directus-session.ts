// Issues an ordinary Directus session for a member without a password: the directus_sessions row
// and the session-mode access token Directus's own AuthenticationService.refresh() would write,
// but inside the caller's transaction, so that a sign-in is one commit.
//
// Why not refresh() itself: it writes four times on its own connection (the seed's next_token,
// the new row, last_access, the expired rows), each an autocommit, and on SQLite each commit is
// an fsync (docs/benchmarks.md has what that costs); nor can it join our transaction, as it also reads the licence's
// state through Directus's single SQLite connection, which would wait forever for ours. What
// refresh() decides is decided here, and stricter: the member rules (members.ts) allow no policy
// granting admin or Studio access, so the token's access claims are always false.
//
// Session mode rather than json mode: a session-mode JWT names its directus_sessions row and
// Directus checks that row on every request, so logout, "end this device" or suspending the member
// end the credential at the very next request. A json-mode access token would stay valid until it
// expires (15 min by default), whatever happens to the refresh token.
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { markIssued, type SignInProofKind } from './issued-sessions';

export interface Client {
  ip: string;
  userAgent: string | null;
  origin: string | null;
}

export interface SessionSigning {
  /** Directus's SECRET, which signs and checks every access token. */
  secret: string;
  /** Directus's SESSION_COOKIE_TTL in ms: the lifetime of a session-mode token and of its row. */
  ttlMs: number;
}

/**
 * The session's row, as refresh() writes it, marked as ours (the member rules follow it); expired
 * rows of the member go, as refresh() does.
 * The member's row is written first: on MySQL/MariaDB the session's foreign key takes a shared lock
 * on it, and two sign-ins of one member that both held that lock before updating the row
 * deadlocked each other. Updated first, the row's lock makes them wait in turn instead.
 */
export async function openSession(
  database: Knex,
  userId: string,
  client: Client,
  ttlMs: number,
  now: number,
  proof: SignInProofKind,
): Promise<string> {
  const token = randomBytes(48).toString('base64url'); // 64 characters, the width of directus_sessions.token
  await database('directus_users')
    .update({ last_access: new Date(now) })
    .where({ id: userId });
  await database('directus_sessions').insert({
    token,
    user: userId,
    expires: new Date(now + ttlMs),
    ip: client.ip,
    user_agent: client.userAgent,
    origin: client.origin,
  });
  await markIssued(database, token, { proof, signedInAt: new Date(now) });
  await database('directus_sessions').delete().where({ user: userId }).andWhere('expires', '<', new Date(now));
  return token;
}

/**
 * The access token refresh() signs in session mode (jsonwebtoken's HS256, issuer "directus"),
 * which Directus's authenticate middleware accepts and checks against the session's row.
 */
export function signAccessToken(
  signing: SessionSigning,
  claims: { id: string; role: string | null; session: string },
  now: number,
): string {
  const iat = Math.floor(now / 1000);
  const payload = { ...claims, app_access: false, admin_access: false, iat, exp: iat + Math.floor(signing.ttlMs / 1000), iss: 'directus' };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', signing.secret).update(unsigned).digest('base64url')}`;
}

/** A passkey sign-in's login entry names the passkey's row, in the extension's passkeys table. */
export interface LoginBy {
  collection: string;
  item: string;
}

/**
 * Directus's own login entry (the columns /auth/login writes), so the sign-in shows in Studio's
 * activity. Inserted with knex rather than through ActivityService: the same row without an
 * ItemsService pass, and inside the caller's transaction. Directus 12's activity has no comment
 * column, so how the member proved it is its collection and item: `directus_users` and the member
 * for an SMS code (as /auth/login writes it), the passkeys table and the passkey's id for a passkey.
 */
export async function recordLogin(database: Knex, userId: string, client: Client, by?: LoginBy): Promise<void> {
  // No timestamp: the column's default stamps it, as for the entries ActivityService writes.
  await database('directus_activity').insert({
    action: 'login',
    user: userId,
    ip: client.ip,
    user_agent: client.userAgent,
    origin: client.origin,
    collection: by?.collection ?? 'directus_users',
    item: by?.item ?? userId,
  });
}

// Issues an ordinary Directus session for a member without a password: a short-lived seed row in
// directus_sessions, then Directus's own AuthenticationService.refresh() in session mode, which
// signs the JWT itself (role, access, `session` claim) and rotates the seed into the real row.
//
// Session mode rather than json mode: a session-mode JWT names its directus_sessions row and
// Directus checks that row on every request, so logout, "end this device" or suspending the member
// end the credential at the very next request. A json-mode access token would stay valid until it
// expires (15 min by default), whatever happens to the refresh token.
import { randomBytes } from 'node:crypto';
import type { EndpointExtensionContext } from '@directus/extensions';
import type { Knex } from 'knex';

type Services = EndpointExtensionContext['services'];
type Accountability = NonNullable<ConstructorParameters<Services['AuthenticationService']>[0]['accountability']>;
type GetSchema = EndpointExtensionContext['getSchema'];

/** The seed only has to live until refresh() has rotated it, which happens at once. */
const SEED_LIFETIME_MS = 60_000;

export interface Client {
  ip: string;
  userAgent: string | null;
  origin: string | null;
}

export interface IssuedSession {
  accessToken: string;
  /** The directus_sessions token the JWT names; never sent to the app (see README, "Why no refresh_token"). */
  sessionToken: string;
  /** Lifetime of the access token and of its session row, ms (Directus's SESSION_COOKIE_TTL). */
  expires: number;
}

export interface SessionDeps {
  database: Knex;
  services: Services;
  getSchema: GetSchema;
}

interface Claims {
  id?: unknown;
  app_access?: unknown;
  admin_access?: unknown;
  enforce_tfa?: unknown;
  session?: unknown;
}

/** The payload of a JWT that Directus has just signed for us (so no signature check here). */
export function decodeClaims(jwt: string): Claims {
  const payload = jwt.split('.')[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return {};
  }
}

/** The last word on access: what Directus itself put into the token (policies may sit on the user). */
export function claimsAllowMember(claims: Claims, userId: string, sessionToken: string): boolean {
  return claims.id === userId && claims.admin_access === false && claims.app_access === false && !claims.enforce_tfa && claims.session === sessionToken;
}

/**
 * The seed row refresh() rotates into the member's session; written with the caller's knex, so it
 * can share a commit with the claim of the Plivo session. Answers the seed token.
 */
export async function plantSeed(database: Knex, userId: string, client: Client): Promise<string> {
  const seed = randomBytes(48).toString('base64url'); // 64 characters, the width of directus_sessions.token
  await database('directus_sessions').insert({
    token: seed,
    user: userId,
    expires: new Date(Date.now() + SEED_LIFETIME_MS),
    ip: client.ip,
    user_agent: client.userAgent,
    origin: client.origin,
  });
  return seed;
}

/**
 * Directus's own refresh() turns the seed into a session. Not inside a transaction of ours:
 * refresh() also reads (the licence's state) through Directus's own connection, which on SQLite
 * (one connection) would wait forever for that transaction to end.
 */
export async function rotateSeed({ services, getSchema }: Omit<SessionDeps, 'database'>, seed: string, client: Client): Promise<IssuedSession> {
  // Anonymous, like a call to /auth/refresh; ip, user agent and origin go onto the new session row.
  const accountability: Accountability = { user: null, role: null, roles: [], admin: false, app: false, ip: client.ip, userAgent: client.userAgent ?? undefined, origin: client.origin ?? undefined };
  const auth = new services.AuthenticationService({ schema: await getSchema(), accountability });
  const result = await auth.refresh(seed, { session: true });
  return { accessToken: result.accessToken, sessionToken: result.refreshToken, expires: result.expires };
}

/** Session mode keeps the rotated seed for SESSION_REFRESH_GRACE_PERIOD; nobody holds it, so it goes at once. */
export async function dropSeed(database: Knex, seed: string): Promise<void> {
  await database('directus_sessions').where({ token: seed }).delete();
}

export async function endSession(database: Knex, sessionToken: string): Promise<void> {
  await database('directus_sessions').where({ token: sessionToken }).delete();
}

/**
 * Directus's own login entry (the columns /auth/login writes), so the sign-in shows in Studio's
 * activity. Inserted with knex rather than through ActivityService: the same row without an
 * ItemsService pass, and inside the caller's transaction.
 */
export async function recordLogin(database: Knex, userId: string, client: Client): Promise<void> {
  // No timestamp: the column's default stamps it, as for the entries ActivityService writes.
  await database('directus_activity').insert({
    action: 'login',
    user: userId,
    ip: client.ip,
    user_agent: client.userAgent,
    origin: client.origin,
    collection: 'directus_users',
    item: userId,
  });
}

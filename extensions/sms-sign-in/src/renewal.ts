// The member rules wherever a session of ours is checked or renewed, not only at sign-in: roles
// and policies change afterwards. Directus's own /auth/refresh renews a session without knowing
// our rules (it works out Studio and admin access from the policies again, and would sign them
// into the new token), so the extension filters `auth.jwt`, which refresh runs after it has
// written the new session row and before it signs the token: a session this extension opened
// whose user is no longer a member is refused there, and ended.
import type { Knex } from 'knex';
import { issuedHere, markRenewed } from './issued-sessions';
import { findMemberById } from './members';
import type { SignInDeps } from './sign-in';

/** The claims refresh is about to sign; session mode names the new session row. */
export interface TokenClaims {
  id?: string;
  session?: string;
}

/**
 * Directus's own "Invalid user credentials." (401 INVALID_CREDENTIALS), the answer refresh gives for
 * a session that has ended: Directus's error handler answers any error named DirectusError with
 * its status and code, so the app sees a refusal (signed out) and not an outage.
 */
export class SessionEnded extends Error {
  override readonly name = 'DirectusError';
  readonly status = 401;
  readonly code = 'INVALID_CREDENTIALS';
  readonly extensions = {};

  constructor() {
    super('Invalid user credentials.');
  }
}

/** The session row being renewed and the one it replaces (named by next_token until its grace period ends). */
const renewedRows = (database: Knex, session: string) =>
  database('directus_sessions').where({ token: session }).orWhere({ next_token: session });

/** Ends a session of ours: its row, and the row a refresh is replacing it with. */
export async function endSession(database: Knex, session: string): Promise<void> {
  await renewedRows(database, session).delete();
}

/**
 * Refuses (and ends) the renewal of a session this extension opened whose user no longer passes
 * every member rule; marks the renewed token as ours otherwise. Sessions opened elsewhere, and
 * json-mode refreshes (which need the raw session token, never handed out), pass untouched.
 */
export async function judgeRenewal(deps: SignInDeps, claims: TokenClaims): Promise<void> {
  const { session, id } = claims;
  if (!session || !id || !(await issuedHere(deps.database, session))) return;
  const found = await findMemberById(deps.database, id, deps.config.memberRoles);
  if ('refusal' in found) {
    await endSession(deps.database, session);
    deps.logger.info(`sms-sign-in: refresh refused (${found.refusal}) for user ${id}; the session is ended`);
    throw new SessionEnded();
  }
  await markRenewed(deps.database, session);
}

// Which directus_sessions rows this extension opened: the member rules are applied again when such
// a session is checked or renewed (renewal.ts), and only to these, never to an administrator's
// Studio session. Directus keeps nothing per session that it carries over a refresh and that we
// could write (a fresh 12.3 install has no `data` column), so the mark is a table of our own:
// one row per session token, added at sign-in and for each refreshed token.
import type { Knex } from 'knex';

export const ISSUED_SESSIONS_TABLE = 'sms_sign_in_sessions';

/** Creates the table unless it exists; two instances starting at once may both try. */
export async function ensureIssuedSessionsTable(db: Knex): Promise<void> {
  if (await db.schema.hasTable(ISSUED_SESSIONS_TABLE)) return;
  await db.schema
    .createTable(ISSUED_SESSIONS_TABLE, (table) => {
      table.string('token', 64).primary(); // directus_sessions.token
    })
    .catch(async (error: unknown) => {
      if (!(await db.schema.hasTable(ISSUED_SESSIONS_TABLE))) throw error;
    });
}

/** Marks a session token as ours, in the caller's transaction (a token is marked at most once). */
export async function markIssued(db: Knex, token: string): Promise<void> {
  await db(ISSUED_SESSIONS_TABLE).insert({ token }).onConflict('token').ignore();
}

/** Whether this session, or the one it renews (whose next_token it is, during a refresh's grace period), was opened here. */
export async function issuedHere(db: Knex, session: string): Promise<boolean> {
  const renewed = db('directus_sessions').select('token').where({ next_token: session });
  return (await db(ISSUED_SESSIONS_TABLE).select('token').where({ token: session }).orWhereIn('token', renewed).first()) !== undefined;
}

/** Forgets the marks of sessions Directus has deleted (ended, expired, replaced by a refresh). */
export async function forgetEndedSessions(db: Knex): Promise<void> {
  await db(ISSUED_SESSIONS_TABLE).whereNotIn('token', db('directus_sessions').select('token')).delete();
}

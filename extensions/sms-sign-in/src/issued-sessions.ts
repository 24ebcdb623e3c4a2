// Which directus_sessions rows this extension opened, how and when: the member rules are applied
// again when such a session is checked or renewed (renewal.ts), and only to these, never to an
// administrator's Studio session; and adding a passkey asks for a session opened by an SMS code
// a short while ago (passkeys.ts). Directus keeps nothing per session that it carries over a
// refresh and that we could write (a fresh 12.3 install has no `data` column), so the mark is a
// table of our own: one row per session token, added at sign-in and for each refreshed token,
// which inherits the proof and time of the sign-in it renews.
import type { Knex } from 'knex';

export const ISSUED_SESSIONS_TABLE = 'sms_sign_in_sessions';

/** What a member proved to open the session. */
export type SignInProofKind = 'sms' | 'passkey';

export interface IssuedMark {
  proof: SignInProofKind;
  /** When the member signed in (a refreshed token keeps its sign-in's time). */
  signedInAt: Date;
}

/**
 * Creates the table unless it exists, and adds the columns a table made by an earlier version
 * lacks (its rows keep null: not recent, of no known proof); two instances starting at once may
 * both try.
 */
export async function ensureIssuedSessionsTable(db: Knex): Promise<void> {
  const tolerateRace = async (error: unknown, done: () => Promise<boolean>) => {
    if (!(await done())) throw error;
  };
  if (!(await db.schema.hasTable(ISSUED_SESSIONS_TABLE))) {
    await db.schema
      .createTable(ISSUED_SESSIONS_TABLE, (table) => {
        table.string('token', 64).primary(); // directus_sessions.token
        table.string('proof', 16).nullable();
        table.timestamp('signed_in_at').nullable();
      })
      .catch((error: unknown) => tolerateRace(error, () => db.schema.hasTable(ISSUED_SESSIONS_TABLE)));
    return;
  }
  if (await db.schema.hasColumn(ISSUED_SESSIONS_TABLE, 'signed_in_at')) return;
  await db.schema
    .alterTable(ISSUED_SESSIONS_TABLE, (table) => {
      table.string('proof', 16).nullable();
      table.timestamp('signed_in_at').nullable();
    })
    .catch((error: unknown) => tolerateRace(error, () => db.schema.hasColumn(ISSUED_SESSIONS_TABLE, 'signed_in_at')));
}

/** Marks a new session token as ours, in the caller's transaction. */
export async function markIssued(db: Knex, token: string, mark: IssuedMark): Promise<void> {
  await db(ISSUED_SESSIONS_TABLE).insert({ token, proof: mark.proof, signed_in_at: mark.signedInAt });
}

/**
 * Marks the token a refresh made as ours (at most once), with the proof and time of the session it
 * renews: the row whose next_token it is, during the refresh's grace period.
 */
export async function markRenewed(db: Knex, token: string): Promise<void> {
  const renewed: { proof: string | null; signed_in_at: Date | string | null } | undefined = await db(ISSUED_SESSIONS_TABLE)
    .select('proof', 'signed_in_at')
    .whereIn('token', db('directus_sessions').select('token').where({ next_token: token }))
    .first();
  await db(ISSUED_SESSIONS_TABLE)
    .insert({ token, proof: renewed?.proof ?? null, signed_in_at: renewed?.signed_in_at ?? null })
    .onConflict('token')
    .ignore();
}

/** How and when this session was opened here, or undefined if it was not (an administrator's, a static token). */
export async function issuedMark(db: Knex, session: string): Promise<{ proof: string | null; signedInAt: number | null } | undefined> {
  const row: { proof: string | null; signed_in_at: Date | string | number | null } | undefined = await db(ISSUED_SESSIONS_TABLE)
    .select('proof', 'signed_in_at')
    .where({ token: session })
    .first();
  if (!row) return undefined;
  return { proof: row.proof, signedInAt: row.signed_in_at === null ? null : new Date(row.signed_in_at).getTime() };
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

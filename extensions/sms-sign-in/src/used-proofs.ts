// Each Plivo session signs in at most once. The database decides: the uuid is the primary key of
// a small table, so of two concurrent inserts of one uuid exactly one succeeds, on every database
// Directus supports, across any number of Directus instances, with no lock of our own.
import type { Knex } from 'knex';

export const USED_PROOFS_TABLE = 'sms_sign_in_used_proofs';

/**
 * How long a used uuid is remembered. A session is accepted only while its created_at is at most
 * SMS_SIGN_IN_CODE_LIFETIME_SECONDS (≤ 1 h) old and at most 5 min in the future, so after a day a
 * replay is refused by its age alone and the row is no longer needed.
 */
const USED_PROOF_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Creates the table unless it exists; two instances starting at once may both try. */
export async function ensureUsedProofsTable(db: Knex): Promise<void> {
  if (await db.schema.hasTable(USED_PROOFS_TABLE)) return;
  try {
    await db.schema.createTable(USED_PROOFS_TABLE, (table) => {
      table.string('plivo_session_uuid', 36).primary();
      table.timestamp('used_at').notNullable().index();
    });
  } catch (error) {
    if (!(await db.schema.hasTable(USED_PROOFS_TABLE))) throw error;
  }
}

/**
 * Marks the uuid used, in the caller's transaction: the insert fails for every caller but the one
 * that got there first, and the transaction with it. No savepoint (two statements less per
 * sign-in): after a failure nothing more is asked of the transaction; `isClaimed`, outside it,
 * tells a used uuid from any other failure.
 */
export async function claimProof(db: Knex, uuid: string): Promise<void> {
  await db(USED_PROOFS_TABLE).insert({ plivo_session_uuid: uuid, used_at: new Date() });
}

/** Whether the uuid is used: read after a failed claim (vendor-neutral: no parsing of SQLite/Postgres/MySQL error codes). */
export async function isClaimed(db: Knex, uuid: string): Promise<boolean> {
  return (await db(USED_PROOFS_TABLE).select('plivo_session_uuid').where({ plivo_session_uuid: uuid }).first()) !== undefined;
}

export async function forgetOldProofs(db: Knex, now: number): Promise<void> {
  await db(USED_PROOFS_TABLE)
    .where('used_at', '<', new Date(now - USED_PROOF_RETENTION_MS))
    .delete();
}

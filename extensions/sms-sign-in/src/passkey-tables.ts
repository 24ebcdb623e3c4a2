// The extension's own passkey tables, created like its other tables (knex schema, on SQLite,
// PostgreSQL and MariaDB): each member's passkeys, each member's WebAuthn user handle, and the
// challenges of ceremonies under way. Directus does not know them (no collection, no permissions):
// only this extension reads and writes them.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export const PASSKEYS_TABLE = 'sms_sign_in_passkeys';
export const PASSKEY_USERS_TABLE = 'sms_sign_in_passkey_users';
export const PASSKEY_CHALLENGES_TABLE = 'sms_sign_in_passkey_challenges';

/** WebAuthn L3 §7.1 step 25: a credential id is at most 1023 bytes. */
export const MAX_CREDENTIAL_ID_BYTES = 1023;

/** How long a ceremony's challenge may be answered. */
export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

export type CeremonyPurpose = 'register' | 'sign_in';

export interface PasskeyRow {
  id: string;
  credential_id: string;
  user: string;
  public_key: string;
  counter: number | string;
  transports: string;
  backed_up: boolean | number;
  device_type: string;
  name: string;
  created_at: Date | string | number;
  last_used_at: Date | string | number | null;
}

/** What a member sees of a passkey (never its key or credential id). */
export interface PasskeySummary {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  backed_up: boolean;
  device_type: string;
}

/**
 * A passkey's row id: the SHA-256 (hex) of its credential id's bytes. The credential id itself is
 * up to 1023 bytes, kept in a text column; MariaDB cannot index TEXT, so the unique key is this.
 */
export function passkeyRowId(credentialId: Buffer): string {
  return createHash('sha256').update(credentialId).digest('hex');
}

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

async function createUnlessExists(db: Knex, name: string, build: (table: Knex.CreateTableBuilder) => void): Promise<void> {
  if (await db.schema.hasTable(name)) return;
  try {
    await db.schema.createTable(name, build);
  } catch (error) {
    // Two instances starting at once may both try.
    if (!(await db.schema.hasTable(name))) throw error;
  }
}

export async function ensurePasskeyTables(db: Knex): Promise<void> {
  await createUnlessExists(db, PASSKEYS_TABLE, (table) => {
    table.string('id', 64).primary();
    table.text('credential_id').notNullable();
    table.string('user', 36).notNullable().index();
    table.text('public_key').notNullable(); // COSE, base64url
    table.bigInteger('counter').notNullable(); // an unsigned 32-bit signCount
    table.text('transports').notNullable(); // JSON array
    table.boolean('backed_up').notNullable();
    table.string('device_type', 32).notNullable();
    table.string('name', 200).notNullable();
    table.timestamp('created_at', { precision: 3 }).notNullable(); // to the millisecond: the list is in the order they were added
    table.timestamp('last_used_at', { precision: 3 }).nullable();
  });
  await createUnlessExists(db, PASSKEY_USERS_TABLE, (table) => {
    table.string('user', 36).primary();
    table.string('handle', 43).notNullable().unique(); // 32 random bytes, base64url: no personal data
  });
  await createUnlessExists(db, PASSKEY_CHALLENGES_TABLE, (table) => {
    table.string('ceremony', 64).primary(); // SHA-256 (hex) of the ceremony id the app keeps in the person's cookie
    table.string('challenge', 64).notNullable();
    table.string('purpose', 16).notNullable();
    table.string('user', 36).nullable(); // register: whose passkey it will be
    table.timestamp('expires_at').notNullable().index();
  });
}

/** The member's WebAuthn user handle, made on first use; a concurrent first use finds the other's. */
export async function userHandle(db: Knex, userId: string): Promise<string> {
  const read = async () =>
    ((await db(PASSKEY_USERS_TABLE).select('handle').where({ user: userId }).first()) as { handle: string } | undefined)?.handle;
  const existing = await read();
  if (existing) return existing;
  await db(PASSKEY_USERS_TABLE)
    .insert({ user: userId, handle: randomBytes(32).toString('base64url') })
    .catch(() => undefined); // the other insert won; read theirs
  const handle = await read();
  if (!handle) throw new Error('no passkey user handle');
  return handle;
}

export async function handleOwner(db: Knex, handle: string): Promise<string | undefined> {
  return ((await db(PASSKEY_USERS_TABLE).select('user').where({ handle }).first()) as { user: string } | undefined)?.user;
}

export interface Ceremony {
  /** The opaque id the app keeps in the person's sealed cookie. */
  id: string;
  challenge: string;
}

/** Starts a ceremony: a fresh challenge, stored by the ceremony's hash; expired ones go. */
export async function startCeremony(db: Knex, purpose: CeremonyPurpose, userId: string | null, now: number): Promise<Ceremony> {
  const ceremony = { id: randomBytes(32).toString('base64url'), challenge: randomBytes(32).toString('base64url') };
  await db(PASSKEY_CHALLENGES_TABLE).where('expires_at', '<', new Date(now)).delete();
  await db(PASSKEY_CHALLENGES_TABLE).insert({
    ceremony: sha256Hex(ceremony.id),
    challenge: ceremony.challenge,
    purpose,
    user: userId,
    expires_at: new Date(now + CHALLENGE_LIFETIME_MS),
  });
  return ceremony;
}

/** The challenge of a live ceremony of this purpose (and member, for register), or undefined. */
export async function ceremonyChallenge(
  db: Knex,
  ceremonyId: string,
  purpose: CeremonyPurpose,
  userId: string | null,
  now: number,
): Promise<string | undefined> {
  const row = (await db(PASSKEY_CHALLENGES_TABLE)
    .select('challenge', 'user')
    .where({ ceremony: sha256Hex(ceremonyId), purpose })
    .andWhere('expires_at', '>=', new Date(now))
    .first()) as { challenge: string; user: string | null } | undefined;
  if (!row || (userId !== null && row.user !== userId)) return undefined;
  return row.challenge;
}

/**
 * Uses the ceremony up: true for exactly one caller, whoever else tries at the same moment (the
 * row's delete decides, on every database), so one challenge answers at most once.
 */
export async function consumeCeremony(db: Knex, ceremonyId: string): Promise<boolean> {
  return (
    (await db(PASSKEY_CHALLENGES_TABLE)
      .where({ ceremony: sha256Hex(ceremonyId) })
      .delete()) === 1
  );
}

export async function findPasskey(db: Knex, id: string): Promise<PasskeyRow | undefined> {
  return (await db(PASSKEYS_TABLE).select('*').where({ id }).first()) as PasskeyRow | undefined;
}

export async function passkeysOf(db: Knex, userId: string): Promise<PasskeyRow[]> {
  return (await db(PASSKEYS_TABLE).select('*').where({ user: userId }).orderBy('created_at', 'asc')) as PasskeyRow[];
}

const iso = (value: Date | string | number) => new Date(value).toISOString();

export function summaryOf(row: PasskeyRow): PasskeySummary {
  return {
    id: row.id,
    name: row.name,
    created_at: iso(row.created_at),
    last_used_at: row.last_used_at === null ? null : iso(row.last_used_at),
    backed_up: Boolean(row.backed_up),
    device_type: row.device_type,
  };
}

export function transportsOf(row: PasskeyRow): string[] {
  const parsed: unknown = JSON.parse(row.transports);
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
}

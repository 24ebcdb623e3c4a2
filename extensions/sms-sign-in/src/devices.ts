// A member's devices are their rows in directus_sessions. Directus keeps per row only token, user,
// expires, ip, user_agent, origin (and next_token while a refresh's grace period runs): no creation
// or last-use time, and each session-mode refresh replaces the row with a new token. So a device's
// id is derived from its current token and changes when that device refreshes, and the one time
// we can give is when it signed in or last refreshed (expires minus the session lifetime).
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export interface Device {
  id: string;
  user_agent: string | null;
  /** When this device signed in or last refreshed. */
  refreshed_at: string;
  expires_at: string;
  current: boolean;
}

interface SessionRow {
  token: string;
  user_agent: string | null;
  expires: Date | string | number;
}

const DEVICE_ID = /^d_[A-Za-z0-9_-]{32}$/;

/** An unkeyed hash is enough: the token has 384 random bits, so the id cannot be turned back into it. */
export function deviceId(sessionToken: string): string {
  return `d_${createHash('sha256').update(sessionToken).digest('base64url').slice(0, 32)}`;
}

export function isDeviceId(value: string): boolean {
  return DEVICE_ID.test(value);
}

/** Live rows only: not expired, not a share or OAuth grant, not a row already replaced by a refresh. */
function liveSessions(db: Knex, userId: string) {
  return db('directus_sessions')
    .where({ user: userId })
    .whereNull('share')
    .whereNull('oauth_client')
    .whereNull('next_token')
    .andWhere('expires', '>=', new Date());
}

export async function listDevices(db: Knex, userId: string, currentSession: string, sessionTtlMs: number): Promise<Device[]> {
  const rows: SessionRow[] = await liveSessions(db, userId).select('token', 'user_agent', 'expires');
  return rows
    .map((row) => {
      const expires = new Date(row.expires).getTime();
      return {
        id: deviceId(row.token),
        user_agent: row.user_agent,
        refreshed_at: new Date(expires - sessionTtlMs).toISOString(),
        expires_at: new Date(expires).toISOString(),
        current: row.token === currentSession,
      };
    })
    .sort((a, b) => Number(b.current) - Number(a.current) || b.expires_at.localeCompare(a.expires_at));
}

/** Ends one of the member's own sessions by its device id; false if there is none (any more). */
export async function endDevice(db: Knex, userId: string, id: string): Promise<boolean> {
  const rows: { token: string }[] = await liveSessions(db, userId).select('token');
  const row = rows.find((r) => deviceId(r.token) === id);
  if (!row) return false;
  await db('directus_sessions').where({ user: userId, token: row.token }).delete();
  return true;
}

/** Ends every session of the member except the one making the request, rows in a refresh's grace period included. */
export async function endOtherDevices(db: Knex, userId: string, currentSession: string): Promise<number> {
  return db('directus_sessions')
    .where({ user: userId })
    .whereNull('share')
    .whereNull('oauth_client')
    .whereNot({ token: currentSession })
    .delete();
}

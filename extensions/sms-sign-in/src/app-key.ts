// The app proves itself with a shared key in a header of its own: Directus reads
// `Authorization: Bearer` as a Directus token and rejects unknown ones before an endpoint runs.
import { createHash, timingSafeEqual } from 'node:crypto';

export const APP_KEY_HEADER = 'x-sms-sign-in-key';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Constant-time comparison. Both sides are hashed first so that timingSafeEqual gets equal
 * lengths and the time taken says nothing about the key's length either.
 */
export function appKeyMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * The configured key, or during a rotation the previous one too. Both are always compared, so the
 * time taken does not say which one matched.
 */
export function appKeysMatch(keys: { appKey: string; previousAppKey: string | null }, given: unknown): boolean {
  const current = appKeyMatches(keys.appKey, given);
  const previous = keys.previousAppKey !== null && appKeyMatches(keys.previousAppKey, given);
  return current || previous;
}

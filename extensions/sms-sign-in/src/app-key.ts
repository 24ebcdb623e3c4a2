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

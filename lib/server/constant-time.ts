import 'server-only';

import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets (a bearer token, a signature, a code) are the same, in a time that tells a
 * guesser nothing: both are hashed first, so neither their lengths nor the first differing byte
 * shows in how long the comparison takes.
 */
export function equalSecrets(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

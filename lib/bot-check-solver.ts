// The browser's proof-of-work solver: loaded on demand (a dynamic import) only when the server
// asks for the check, so it is in no page's first-load JavaScript. It runs on this page's own
// origin under its CSP: WebCrypto's PBKDF2 works off the main thread, with no worker, eval or WASM.
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';

import type { BotCheckChallenge } from '@/lib/api-contract';

/** How often (in tries) progress is reported: a re-render per try would cost more than the try. */
const PROGRESS_EVERY = 25;

/**
 * Solves a challenge; answers the solution as the API takes it (base64url JSON of the challenge
 * and its solution), or undefined when it could not be solved. `onProgress` gets 0-1.
 */
export async function solveBotCheck(challenge: BotCheckChallenge, onProgress: (share: number) => void): Promise<string | undefined> {
  const work = Number(challenge.parameters.data?.work) || 1;
  let tries = 0;
  const solution = await solveChallenge({
    challenge,
    deriveKey: (parameters, salt, password) => {
      if (++tries % PROGRESS_EVERY === 0) onProgress(Math.min(1, tries / work));
      return deriveKey(parameters, salt, password);
    },
  }).catch(() => null);
  if (!solution) return undefined;
  onProgress(1);
  const json = new TextEncoder().encode(JSON.stringify({ challenge, solution }));
  return btoa(String.fromCharCode(...json))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

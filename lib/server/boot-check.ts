import 'server-only';

import { maskPhone } from '@/lib/phone';
import { getEnv } from './env';
import { testNumbersWarning } from './plivo/test-numbers';
import { getSignInDeps } from './sign-in-deps';

// Validate the environment when the server boots, not on the first request. Next keeps serving
// when register() throws, so in production we exit ourselves: a misconfigured auth server must not run.
try {
  getEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  if (process.env.NODE_ENV === 'production') process.exit(1);
}

/** Set by the preload scripts/client-address.cjs once it writes each socket's address into X-Forwarded-For. */
const CLIENT_ADDRESS_PRELOAD = Symbol.for('sms-sign-in.client-address-preload');

/**
 * With TRUST_PROXY=direct the client address is the socket's only when the preload put it in
 * X-Forwarded-For; started without it (`node server.js`, the usual container command) each client
 * would name its own address and slip past every per-address limit. So production refuses to run.
 */
export function checkClientAddressPreload(): void {
  if (getEnv().TRUST_PROXY !== 'direct' || (globalThis as Record<symbol, unknown>)[CLIENT_ADDRESS_PRELOAD]) return;
  const message =
    'TRUST_PROXY: "direct" needs the client-address preload, which writes each connection\'s address over the one a client claims: start the server with `npm start`, or `node --require ./client-address.cjs server.js` in .next/standalone';
  if (process.env.NODE_ENV !== 'production') return console.warn(message);
  console.error(message);
  process.exit(1);
}

/**
 * Test numbers sign in without a phone, so they are announced at every boot, and in production
 * each must be an active member's: a test number nobody owns would be a stranger whose code works,
 * which tells it apart from every other stranger.
 */
export async function checkTestNumbers(): Promise<void> {
  const env = getEnv();
  const numbers = env.TEST_PHONE_NUMBERS;
  if (numbers.size === 0) return;
  console.warn(testNumbersWarning(numbers));
  if (env.NODE_ENV !== 'production') return;
  const { directory } = getSignInDeps();
  try {
    for (const phone of numbers.keys()) {
      if (!(await directory.findActiveMemberByPhone(phone)).member) {
        throw new Error(`TEST_PHONE_NUMBERS: ${maskPhone(phone)} belongs to no active member; give it to one in Directus or remove it`);
      }
    }
  } catch (error) {
    const message = (error as Error).message.startsWith('TEST_PHONE_NUMBERS')
      ? (error as Error).message
      : `TEST_PHONE_NUMBERS: could not check that each belongs to a member: Directus did not answer (${String((error as Error).cause ?? (error as Error).message)})`;
    console.error(message);
    process.exit(1);
  }
}

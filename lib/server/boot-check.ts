import 'server-only';

import { maskPhone } from '@/lib/phone';
import { getEnv } from './env';
import { getSignInDeps } from './sign-in-deps';
import { testNumbersWarning } from './test-numbers';

// Validate the environment when the server boots, not on the first request. Next keeps serving
// when register() throws, so in production we exit ourselves: a misconfigured auth server must not run.
try {
  getEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  if (process.env.NODE_ENV === 'production') process.exit(1);
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

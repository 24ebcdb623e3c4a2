import { z } from 'zod';

import type { PasskeyCredentialJson } from '@/lib/api-contract';

/**
 * The browser's passkey answer, relayed to the extension as it is (it verifies every field); here
 * only its shape. An id over 1023 bytes is refused there, by that rule.
 */
export const passkeyCredential: z.ZodType<PasskeyCredentialJson> = z.looseObject({
  id: z.string().min(1).max(2048),
  response: z.looseObject({}),
});

/** A passkey's id as the list answers it. */
export const passkeyId = z.string().regex(/^[0-9a-f]{64}$/);

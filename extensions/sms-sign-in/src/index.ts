// Directus endpoint extension "sms-sign-in": routes under /sms-sign-in/ that let the SMS sign-in
// app turn a Plivo-verified phone into an ordinary Directus session (see ../README.md).
// Types only: defineEndpoint() is the identity function, and importing it would bundle the SDK's schemas.
import type { EndpointConfig } from '@directus/extensions';
import { readConfig } from './config';
import { maskPhone } from './log-safe';
import { mountNotConfigured, mountRoutes } from './routes';
import { ensureUsedProofsTable, USED_PROOFS_TABLE } from './used-proofs';

export default {
  id: 'sms-sign-in',
  handler: (router, { env, database, logger }) => {
    const result = readConfig(env);
    if (!result.ok) {
      for (const problem of result.problems) logger.error(`sms-sign-in: ${problem}. Its routes answer 503 until this is fixed.`);
      mountNotConfigured(router);
      return;
    }
    const { config } = result;
    if (!config.plivo) {
      logger.warn('sms-sign-in: SMS_SIGN_IN_PLIVO_PROOF=off: issue does not ask Plivo, so the app key alone signs anyone in. Never use this in production.');
    }
    if (config.testPhones.size > 0) {
      logger.warn(`sms-sign-in: SMS_SIGN_IN_TEST_PHONE_NUMBERS: issue signs ${[...config.testPhones].map(maskPhone).join(', ')} in on the app's word alone, without asking Plivo.`);
    }
    const ready = ensureUsedProofsTable(database);
    ready.catch((error: unknown) => {
      logger.error(`sms-sign-in: could not create the table ${USED_PROOFS_TABLE} (${error instanceof Error ? error.message : String(error)}); issue fails until it exists`);
    });
    mountRoutes(router, { config, database, logger }, ready);
  },
} satisfies EndpointConfig;

// Directus hook extension "sms-sign-in": routes under /sms-sign-in/ that let the SMS sign-in app
// turn a Plivo-verified phone into an ordinary Directus session (see ../README.md). A hook, not an
// endpoint, so that the app's two routes can be mounted ahead of Directus's own middleware.
// Types only: defineHook() is the identity function, and importing it would bundle the SDK's schemas.
import type { HookConfig } from '@directus/extensions';
import type { Express } from 'express';
import { readConfig } from './config';
import { maskPhone } from './log-safe';
import { judgeRenewal, type TokenClaims } from './renewal';
import { mountAppKeyRoutes, mountMemberRoutes, mountNotConfigured } from './routes';
import type { SignInDeps } from './sign-in';
import { ensureIssuedSessionsTable, ISSUED_SESSIONS_TABLE } from './issued-sessions';
import { ensurePasskeyTables, PASSKEYS_TABLE } from './passkey-tables';
import { ensureUsedProofsTable, USED_PROOFS_TABLE } from './used-proofs';

export default (({ init, filter }, { env, database, logger }) => {
  // Everything happens as the server builds its app: the CLI (`directus bootstrap`…) loads hooks
  // too, and must neither log about this extension nor touch the database before migrating it.
  let deps: SignInDeps | undefined;
  let ready: Promise<void> = Promise.resolve();
  init('middlewares.before', ({ app }) => {
    const result = readConfig(env);
    if (!result.ok) {
      for (const problem of result.problems) logger.error(`sms-sign-in: ${problem}. Its routes answer 503 until this is fixed.`);
      mountNotConfigured(app as Express);
      return;
    }
    const { config } = result;
    if (!config.plivo) {
      logger.warn(
        'sms-sign-in: SMS_SIGN_IN_PLIVO_PROOF=off: issue does not ask Plivo, so the app key alone signs anyone in. Never use this in production.',
      );
    }
    if (config.previousAppKey !== null) {
      logger.warn(
        'sms-sign-in: SMS_SIGN_IN_APP_KEY_PREVIOUS is set: the previous app key is still accepted. Unset it once the app sends the new key.',
      );
    }
    if (config.testPhones.size > 0) {
      logger.warn(
        `sms-sign-in: SMS_SIGN_IN_TEST_PHONE_NUMBERS: issue signs ${[...config.testPhones].map(maskPhone).join(', ')} in on the app's word alone, without asking Plivo.`,
      );
    }
    if (config.passkeys.state === 'invalid') {
      for (const problem of config.passkeys.problems)
        logger.error(`sms-sign-in: ${problem}. The passkey routes answer 503 passkeys_not_configured until this is fixed.`);
    }
    ready = Promise.all([ensureUsedProofsTable(database), ensureIssuedSessionsTable(database), ensurePasskeyTables(database)]).then(
      () => undefined,
    );
    ready.catch((error: unknown) => {
      logger.error(
        `sms-sign-in: could not create the tables ${USED_PROOFS_TABLE}, ${ISSUED_SESSIONS_TABLE} and ${PASSKEYS_TABLE}… (${error instanceof Error ? error.message : String(error)}); issue, passkeys and refresh fail until they exist`,
      );
    });
    deps = { config, database, logger };
    mountAppKeyRoutes(app as Express, deps, ready);
  });
  init('routes.custom.before', ({ app }) => {
    if (deps) mountMemberRoutes(app as Express, deps);
  });
  // Directus's /auth/refresh renews sessions without our rules: refused here for a session of ours
  // whose user is no longer a member (renewal.ts).
  filter('auth.jwt', async (claims, meta) => {
    if (deps && (meta as { type?: string }).type === 'refresh') {
      await ready;
      await judgeRenewal(deps, claims as TokenClaims);
    }
    return claims;
  });
}) satisfies HookConfig;

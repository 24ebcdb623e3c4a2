import 'server-only';

import plivo from 'plivo';

import type { Channel } from '@/lib/api-contract';
import type { Locale } from '@/lib/i18n/locales';
import { withDeadline } from '../deadline';
import type { Env } from '../env';
import type { CheckResult, Verifier } from '../sign-in/sms/ports';
import { deliveryCallbackUrl, deliveryReportsEnabled } from './callbacks';
import { plivoErrorStatus, plivoFailure } from './refusals';

type SessionStatus = 'in-progress' | 'verified' | 'expired';

/**
 * Plivo's name for each of our languages: an ISO 639-1 code, optionally "_" and a region
 * ("en", "es", "fr_FR"; reference §2.1). A language added to lib/i18n must be named here: its
 * Plivo locale, or "en" (Plivo's default) where Plivo cannot speak it. Plivo speaks a language
 * other than English only once the account has its translations (on request).
 */
const PLIVO_LOCALES: Record<Locale, string> = { en: 'en', de: 'de', es: 'es' };

/**
 * The Plivo Verify client: the only module that talks to Plivo (or its local emulator). It owns
 * the transport: the base URL, the SDK's timeout and a deadline over each whole call, and what
 * each rejection means (refusals.ts).
 */
export function createPlivoVerifier(env: Env): Verifier {
  const client = new plivo.Client(env.PLIVO_AUTH_ID, env.PLIVO_AUTH_TOKEN, {
    url: `${env.PLIVO_API_URL}/v1/Account/${env.PLIVO_AUTH_ID}`,
    timeout: env.PLIVO_TIMEOUT_MS,
  });
  // Outer bound a little past the SDK's own timeout, so the SDK usually gives up first.
  const call = <T>(work: Promise<T>) => withDeadline(env.PLIVO_TIMEOUT_MS + 250, work);
  const reports = deliveryReportsEnabled(env);

  async function sessionStatus(sessionUuid: string): Promise<SessionStatus | undefined> {
    try {
      const session = await call(client.verify_session.get(sessionUuid));
      return session.status as SessionStatus;
    } catch (error) {
      if (plivoErrorStatus(error) === 404) return undefined;
      throw plivoFailure(error, 'other');
    }
  }

  return {
    async sendCode(recipient: string, channel: Channel, locale: Locale, delivery: string) {
      try {
        const result = await call(
          client.verify_session.create({
            recipient,
            channel,
            // Overrides the Verify application's own length, so the form always asks for this many.
            code_length: env.OTP_CODE_LENGTH,
            // The text or call in the person's language, where the account has it (reference §2.1).
            locale: PLIVO_LOCALES[locale],
            ...(env.PLIVO_APP_UUID ? { app_uuid: env.PLIVO_APP_UUID } : {}),
            // Where Plivo reports how this delivery went (a form POST per status change).
            ...(reports ? { url: deliveryCallbackUrl(env, delivery), method: 'POST' } : {}),
          }),
        );
        if (!result.sessionUuid) throw new Error('Plivo answered without a session_uuid');
        return { codeId: result.sessionUuid };
      } catch (error) {
        throw plivoFailure(error, 'create');
      }
    },

    // Every send is given the callback URL where reports are on, so every delivery is reported.
    reportsDelivery: () => true,

    async checkCode(sessionUuid: string, code: string): Promise<CheckResult> {
      try {
        const result = await call(client.verify_session.validate({ id: sessionUuid, otp: code }));
        // A 2xx carrying an error body resolves without a message (reference §9.8).
        if (result.message === undefined) throw new Error('Plivo validate answered without a message');
        return 'verified';
      } catch (error) {
        const status = plivoErrorStatus(error);
        if (status !== 400 && status !== 404) throw plivoFailure(error, 'other');
      }
      // Plivo documents no error texts for a failed validation, so ask the session what it is now.
      const status = await sessionStatus(sessionUuid);
      if (status === 'in-progress') return 'wrong_code';
      return 'expired';
    },

    async ping() {
      try {
        await call(client.accounts.get());
      } catch (error) {
        throw plivoFailure(error, 'other');
      }
    },
  };
}

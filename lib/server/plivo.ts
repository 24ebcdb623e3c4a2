import 'server-only';

import plivo from 'plivo';

import type { Channel } from '@/lib/api-contract';
import { withDeadline } from './deadline';
import type { Env } from './env';
import { deliveryCallbackUrl, deliveryReportsEnabled } from './plivo-callbacks';
import { plivoErrorStatus, plivoFailure } from './plivo-errors';
import type { CheckResult, Verifier } from './sign-in/ports';

type SessionStatus = 'in-progress' | 'verified' | 'expired';

/** The Plivo Verify adapter: the only module that talks to Plivo (or its local emulator). */
export function createPlivoVerifier(env: Env): Verifier {
  const base = env.PLIVO_API_URL.replace(/\/+$/, '');
  const client = new plivo.Client(env.PLIVO_AUTH_ID, env.PLIVO_AUTH_TOKEN, {
    url: `${base}/v1/Account/${env.PLIVO_AUTH_ID}`,
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
    async sendCode(recipient: string, channel: Channel, delivery: string) {
      try {
        const result = await call(
          client.verify_session.create({
            recipient,
            channel,
            // Overrides the Verify application's own length, so the form always asks for this many.
            code_length: env.OTP_CODE_LENGTH,
            ...(env.PLIVO_APP_UUID ? { app_uuid: env.PLIVO_APP_UUID } : {}),
            // Where Plivo reports how this delivery went (a form POST per status change).
            ...(reports ? { url: deliveryCallbackUrl(env, delivery), method: 'POST' } : {}),
          }),
        );
        if (!result.sessionUuid) throw new Error('Plivo answered without a session_uuid');
        return { sessionUuid: result.sessionUuid };
      } catch (error) {
        throw plivoFailure(error, 'create');
      }
    },

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

import 'server-only';

import plivo from 'plivo';

import type { Channel } from '@/lib/api-contract';
import { withDeadline } from './deadline';
import type { Env } from './env';
import { AuthError } from './errors';
import type { CheckResult, Verifier } from './sign-in/ports';

type SessionStatus = 'in-progress' | 'verified' | 'expired';

/**
 * Plivo's status code for an SDK rejection. The SDK rejects with a bare string on network errors
 * and timeouts, with `status` for some HTTP codes and only a message for others
 * (see reference/plivo-verify.md §9).
 */
export function plivoErrorStatus(error: unknown): number | undefined {
  if (typeof error === 'string') return undefined;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status;
  const match = /status code (\d{3})/.exec(String((error as Error | null)?.message ?? ''));
  return match ? Number(match[1]) : undefined;
}

/** The Plivo Verify adapter: the only module that talks to Plivo (or its local emulator). */
export function createPlivoVerifier(env: Env): Verifier {
  const base = env.PLIVO_API_URL.replace(/\/+$/, '');
  const client = new plivo.Client(env.PLIVO_AUTH_ID, env.PLIVO_AUTH_TOKEN, {
    url: `${base}/v1/Account/${env.PLIVO_AUTH_ID}`,
    timeout: env.PLIVO_TIMEOUT_MS,
  });
  // Outer bound a little past the SDK's own timeout, so the SDK usually gives up first.
  const call = <T>(work: Promise<T>) => withDeadline(env.PLIVO_TIMEOUT_MS + 250, work);

  async function sessionStatus(sessionUuid: string): Promise<SessionStatus | undefined> {
    try {
      const session = await call(client.verify_session.get(sessionUuid));
      return session.status as SessionStatus;
    } catch (error) {
      if (plivoErrorStatus(error) === 404) return undefined;
      throw unavailable(error);
    }
  }

  return {
    async sendCode(recipient: string, channel: Channel) {
      try {
        const result = await call(
          client.verify_session.create({
            recipient,
            channel,
            ...(env.PLIVO_APP_UUID ? { app_uuid: env.PLIVO_APP_UUID } : {}),
          }),
        );
        if (!result.sessionUuid) throw new Error('Plivo answered without a session_uuid');
        return { sessionUuid: result.sessionUuid };
      } catch (error) {
        throw unavailable(error);
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
        if (status !== 400 && status !== 404) throw unavailable(error);
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
        throw unavailable(error);
      }
    },
  };
}

function unavailable(cause: unknown): AuthError {
  // Keep the SDK's text out of responses; it can carry request bodies (`moreInfo`).
  return new AuthError('upstream_unavailable', {}, { cause: describe(cause) });
}

function describe(error: unknown): string {
  if (typeof error === 'string') return error.split('\n')[0] ?? 'network error';
  const status = plivoErrorStatus(error);
  return `plivo ${status ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`;
}

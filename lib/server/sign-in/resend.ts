import type { Channel, CodeSentResponse } from '@/lib/api-contract';
import { normalizePhone } from '@/lib/phone';
import { AuthError } from '../errors';
import type { SessionData } from '../session';
import { codeSent, isExpired, type Outcome, type SignInDeps } from './context';

/** Delivers the pending verification's code again, by SMS or by a voice call. */
export async function resendCode(
  deps: SignInDeps,
  session: SessionData,
  channel: Channel,
): Promise<Outcome<CodeSentResponse>> {
  const pending = session.pending;
  if (!pending || isExpired(deps, pending)) throw new AuthError('no_pending_verification');

  const now = deps.clock.now();
  const wait = Math.ceil((pending.sentAt + deps.policy.resendAfterSeconds * 1000 - now) / 1000);
  if (wait > 0) throw new AuthError('rate_limited', { retryAfter: wait });

  let sessionUuid = pending.sessionUuid;
  if (!pending.decoy) {
    // Plivo makes this a new attempt of the same session, with the same code.
    ({ sessionUuid } = await deps.verifier.sendCode(pending.phone, channel));
    if (sessionUuid !== pending.sessionUuid) await deps.directory.setOtpSession(pending.userId, sessionUuid);
  }
  const next = { ...pending, sessionUuid, channel, sentAt: now };
  const international = normalizePhone(pending.phone)?.international ?? pending.phone;
  return { session: { ...session, pending: next }, body: codeSent(deps, next, international) };
}

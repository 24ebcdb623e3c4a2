import type { Channel, CodeSentResponse } from '@/lib/api-contract';
import { normalizePhone } from '@/lib/phone';
import { AuthError } from '../errors';
import type { SessionData } from '../session';
import { codeSent, enforce, isExpired, type Outcome, type SignInDeps } from './context';
import { deliverCode, refuseLockedCode, sendHits } from './deliver';

/** Delivers the pending verification's code again, by SMS or by a voice call. */
export async function resendCode(
  deps: SignInDeps,
  session: SessionData,
  input: { channel: Channel; ip: string },
): Promise<Outcome<CodeSentResponse>> {
  const pending = session.pending;
  if (!pending || isExpired(deps, pending)) throw new AuthError('no_pending_verification');
  const window = { codeId: pending.sessionUuid, startedAt: pending.startedAt };
  await refuseLockedCode(deps, window, input.ip);
  await enforce(deps, sendHits(pending.phone, input.ip));

  const phone = normalizePhone(pending.phone);
  const code = await deliverCode(deps, 'resend', { ...pending, country: phone?.country }, input.channel, window);
  const next = { ...pending, sessionUuid: code.codeId, startedAt: code.startedAt, channel: input.channel };
  const international = phone?.international ?? pending.phone;
  return { session: { ...session, pending: next }, body: codeSent(deps, next, international) };
}

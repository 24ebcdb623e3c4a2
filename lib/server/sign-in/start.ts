import type { CodeSentResponse } from '@/lib/api-contract';
import { normalizePhone, SMS_CAPABLE_TYPES } from '@/lib/phone';
import { AuthError } from '../errors';
import type { PendingVerification, SessionData } from '../session';
import { codeSent, type Outcome, type SignInDeps } from './context';

export type StartInput = { phone: string; country?: string };

/**
 * Sends a code to the member who owns this number. A number nobody owns gets the same answer and a
 * cookie of the same shape, with nothing sent, so the form cannot be used to find members.
 */
export async function startSignIn(
  deps: SignInDeps,
  session: SessionData,
  input: StartInput,
): Promise<Outcome<CodeSentResponse>> {
  const phone = normalizePhone(input.phone, input.country);
  if (!phone || !SMS_CAPABLE_TYPES.includes(phone.type)) throw new AuthError('invalid_phone');

  const now = deps.clock.now();
  const member = await deps.directory.findActiveMemberByPhone(phone.e164);
  let pending: PendingVerification;
  if (member) {
    const { sessionUuid } = await deps.verifier.sendCode(phone.e164, 'sms');
    // If this write fails the person just asks again: Plivo hands back the same live session.
    await deps.directory.setOtpSession(member.id, sessionUuid);
    pending = { userId: member.id, sessionUuid, decoy: 0, ...fresh(phone.e164, now) };
  } else {
    pending = { userId: deps.random.uuid(), sessionUuid: deps.random.uuid(), decoy: 1, ...fresh(phone.e164, now) };
  }
  return { session: { ...session, pending }, body: codeSent(deps, pending, phone.international) };
}

function fresh(phone: string, now: number) {
  return { phone, channel: 'sms' as const, startedAt: now, sentAt: now, attempts: 0 };
}

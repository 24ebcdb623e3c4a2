import type { CodeSentResponse } from '@/lib/api-contract';
import { normalizePhone } from '@/lib/phone';
import { AuthError } from '../errors';
import type { PendingVerification, SessionData } from '../session';
import { codeSent, enforce, type Outcome, type SignInDeps } from './context';
import { deliverCode, sendHits } from './deliver';

export type StartInput = { phone: string; country?: string; ip: string };

/**
 * Sends a code to the member who owns this number. A number nobody owns gets the same answer, a
 * cookie of the same size and the same limits, after about as long, with nothing sent: the form
 * cannot be used to find members.
 */
export async function startSignIn(
  deps: SignInDeps,
  session: SessionData,
  input: StartInput,
): Promise<Outcome<CodeSentResponse>> {
  const { policy } = deps;
  const phone = normalizePhone(input.phone, input.country);
  if (!phone || !policy.allowedNumberTypes.includes(phone.type)) throw new AuthError('invalid_phone');
  if (policy.allowedCountries !== '*' && !policy.allowedCountries.includes(phone.country ?? '')) {
    throw new AuthError('country_not_allowed');
  }
  await enforce(deps, sendHits(phone.e164, input.ip));

  const member = await deps.directory.findActiveMemberByPhone(phone.e164);
  const target = member
    ? { userId: member.id, sessionUuid: '', decoy: 0 as const }
    : { userId: deps.random.uuid(), sessionUuid: deps.random.uuid(), decoy: 1 as const };
  const sessionUuid = await deliverCode(deps, { ...target, phone: phone.e164 }, 'sms');
  const pending: PendingVerification = {
    ...target,
    id: deps.random.uuid(),
    sessionUuid,
    phone: phone.e164,
    channel: 'sms',
    startedAt: deps.clock.now(),
  };
  return { session: { ...session, pending }, body: codeSent(deps, pending, phone.international) };
}

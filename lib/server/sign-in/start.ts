import type { CodeSentResponse } from '@/lib/api-contract';
import { normalizePhone } from '@/lib/phone';
import { AuthError } from '../errors';
import type { PendingVerification, SessionData } from '../session';
import { codeSent, enforce, type Outcome, type SignInDeps } from './context';
import { deliverCode, refuseLockedCode, sendHits } from './deliver';

export type StartInput = { phone: string; country?: string; ip: string };

/**
 * Sends a code to the member who owns this number. A number nobody owns gets the same answer, a
 * cookie of the same size, the same limits and the same code lifetime, after about as long, with
 * nothing sent: the form cannot be used to find members.
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
  const window = await deps.codes.current(phone.e164);
  if (window) await refuseLockedCode(deps, window, input.ip);
  await enforce(deps, sendHits(phone.e164, input.ip));

  const member = await deps.directory.findActiveMemberByPhone(phone.e164);
  const decoy = member ? 0 : 1;
  const code = await deliverCode(deps, 'start', { phone: phone.e164, country: phone.country, decoy }, 'sms', window);
  const pending: PendingVerification = {
    userId: member?.id ?? deps.directory.decoyMemberId(),
    sessionUuid: code.codeId,
    phone: phone.e164,
    channel: 'sms',
    startedAt: code.startedAt,
    decoy,
  };
  return { session: { ...session, pending }, body: codeSent(deps, pending, phone.international) };
}

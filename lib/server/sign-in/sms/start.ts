import type { CodeSentResponse } from '@/lib/api-contract';
import { DEFAULT_LOCALE, type Locale } from '@/lib/i18n/locales';
import { normalizePhone } from '@/lib/phone';
import { ApiError } from '../../errors';
import { countSend, guardSend } from '../abuse/guard';
import { deliverCode, refuseLockedCode } from './deliver';
import { enforce } from '../limits';
import { sendHits } from './limit-hits';
import { codeSent } from './pending-verification';
import type { Outcome, PendingVerification, SessionData } from '../ports';
import type { SmsSignInDeps } from './ports';

/** `locale`: the person's language, which the code's text or call speaks (English unless given). */
export type StartInput = {
  phone: string;
  country?: string;
  ip: string;
  locale?: Locale;
  botCheck?: string;
};

/**
 * Sends a code to the member who owns this number. A number nobody owns gets the same answer, a
 * cookie of the same size, the same limits and the same code lifetime, after about as long, with
 * nothing sent: the form cannot be used to find members. With sign-up open, a number no user
 * holds gets a real code instead, to become a member with.
 */
export async function startSignIn(deps: SmsSignInDeps, session: SessionData, input: StartInput): Promise<Outcome<CodeSentResponse>> {
  const { policy } = deps;
  const phone = normalizePhone(input.phone, input.country);
  if (!phone || !policy.allowedNumberTypes.includes(phone.type)) throw new ApiError('invalid_phone');
  if (policy.allowedCountries !== '*' && !policy.allowedCountries.includes(phone.country ?? '')) {
    throw new ApiError('country_not_allowed');
  }
  const window = await deps.codes.current(phone.e164);
  if (window) await refuseLockedCode(deps, window, input.ip);
  await guardSend(deps, {
    phone: phone.e164,
    ip: input.ip,
    botCheck: input.botCheck,
  });
  await enforce(deps, sendHits(phone.e164, input.ip));

  const holder = await deps.directory.findActiveMemberByPhone(phone.e164);
  // With sign-up open, a number nobody holds at all is sent a real code to become a member with.
  const newcomer = !holder.member && holder.unclaimed && policy.signUp ? 1 : 0;
  const decoy = holder.member || newcomer ? 0 : 1;
  const { code, delivery } = await deliverCode(
    deps,
    'start',
    {
      phone: phone.e164,
      country: phone.country,
      decoy,
      locale: input.locale ?? DEFAULT_LOCALE,
    },
    'sms',
    window,
  );
  await countSend(deps, phone.e164, input.ip);
  const pending: PendingVerification = {
    userId: holder.member?.id ?? deps.directory.decoyMemberId(),
    codeId: code.codeId,
    phone: phone.e164,
    channel: 'sms',
    startedAt: code.startedAt,
    decoy,
    newcomer,
    delivery,
  };
  return {
    session: { ...session, pending },
    body: codeSent(deps, pending, phone.international),
  };
}

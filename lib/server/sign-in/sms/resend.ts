import type { Channel, CodeSentResponse } from '@/lib/api-contract';
import { DEFAULT_LOCALE, type Locale } from '@/lib/i18n/locales';
import { normalizePhone } from '@/lib/phone';
import { ApiError } from '../../errors';
import { countSend, guardSend } from '../abuse/guard';
import { deliverCode, refuseLockedCode } from './deliver';
import { enforce } from '../limits';
import { sendHits } from './limit-hits';
import { codeSent, isExpired } from './pending-verification';
import type { Outcome, SessionData } from '../ports';
import type { SmsSignInDeps } from './ports';

/** Delivers the pending verification's code again, by SMS or by a voice call. */
export async function resendCode(
  deps: SmsSignInDeps,
  session: SessionData,
  input: { channel: Channel; ip: string; locale?: Locale; botCheck?: string },
): Promise<Outcome<CodeSentResponse>> {
  const pending = session.pending;
  if (!pending || isExpired(deps, pending)) throw new ApiError('no_pending_verification');
  const window = { codeId: pending.codeId, startedAt: pending.startedAt };
  await refuseLockedCode(deps, window, input.ip);
  await guardSend(deps, {
    phone: pending.phone,
    ip: input.ip,
    botCheck: input.botCheck,
  });
  await enforce(deps, sendHits(pending.phone, input.ip));

  const phone = normalizePhone(pending.phone);
  const { code, delivery } = await deliverCode(
    deps,
    'resend',
    {
      ...pending,
      country: phone?.country,
      locale: input.locale ?? DEFAULT_LOCALE,
    },
    input.channel,
    window,
  );
  await countSend(deps, pending.phone, input.ip);
  const next = {
    ...pending,
    codeId: code.codeId,
    startedAt: code.startedAt,
    channel: input.channel,
    delivery,
  };
  const international = phone?.international ?? pending.phone;
  return {
    session: { ...session, pending: next },
    body: codeSent(deps, next, international),
  };
}

import type { CodeSentResponse } from '@/lib/api-contract';
import { normalizePhone } from '@/lib/phone';
import type { PendingVerification } from '../ports';
import type { CodeWindow, SmsSignInDeps } from './ports';

// The pending verification's code: how long it has left, and how a step answers once it is sent.

/** Seconds until a code dies: its lifetime counts from the first send, as Plivo's does. */
export function secondsLeft(deps: SmsSignInDeps, code: Pick<CodeWindow, 'startedAt'>) {
  const elapsed = (deps.clock.now() - code.startedAt) / 1000;
  return Math.max(0, Math.ceil(deps.policy.codeTtlSeconds - elapsed));
}

export function isExpired(deps: SmsSignInDeps, code: Pick<CodeWindow, 'startedAt'>) {
  return secondsLeft(deps, code) === 0;
}

export function codeSent(deps: SmsSignInDeps, pending: PendingVerification, international: string): CodeSentResponse {
  return {
    status: 'code_sent',
    phone: international,
    channel: pending.channel,
    resendAfter: deps.policy.resendAfterSeconds,
    expiresIn: secondsLeft(deps, pending),
  };
}

/**
 * The code step as a page shows it for the code on its way (after a plain form post, or a reload),
 * or null when it is dead: the same answer the step that sent it gave, its waits counted from the
 * first send, which the resend's own refusal corrects when a later one waits longer.
 */
export function pendingCodeSent(deps: SmsSignInDeps, pending: PendingVerification): CodeSentResponse | null {
  const sent = codeSent(deps, pending, normalizePhone(pending.phone)?.international ?? pending.phone);
  if (sent.expiresIn === 0) return null;
  const waited = Math.floor((deps.clock.now() - pending.startedAt) / 1000);
  return { ...sent, resendAfter: Math.max(0, sent.resendAfter - waited) };
}

import type { CodeSentResponse } from '@/lib/api-contract';
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

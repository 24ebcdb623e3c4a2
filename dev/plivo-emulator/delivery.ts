// What a delivery looks like from the outside. The emulator does not send anything: an attempt is
// "delivered" (sms) or "answer"ed (voice) at once, or fails as a recipient rule says, and the
// status callbacks replay the steps a real delivery would go through, in order, so callback
// receivers see a realistic sequence.
import type { StatusCallbacks } from './status-callbacks';
import { statusOf, type Attempt, type Channel, type Session } from './session-model';

const CHANNEL_STEPS: Record<Channel, readonly string[]> = {
  sms: ['queued', 'sent', 'delivered'],
  voice: ['ringing', 'in-progress', 'completed'],
};

/** A failed text goes through queued and sent like any other, then ends in its failure. */
const FAILED_SMS_STEPS = ['queued', 'sent'] as const;

export function announceAttempt(callbacks: StatusCallbacks, session: Session, attempt: Attempt, now: number): void {
  const sessionStatus = statusOf(session, now);
  const { failure } = attempt;
  const steps = failure ? FAILED_SMS_STEPS : CHANNEL_STEPS[attempt.channel];
  for (const channelStatus of steps) callbacks.notify({ session, attempt, channelStatus, sessionStatus });
  if (failure) {
    callbacks.notify({ session, attempt, channelStatus: failure.channelStatus, channelErrorCode: failure.errorCode, sessionStatus });
  }
}

/** The status an attempt ended in, as its callbacks report it. */
function lastStep(attempt: Attempt): string {
  return attempt.failure?.channelStatus ?? CHANNEL_STEPS[attempt.channel].at(-1)!;
}

/** Session-level changes (verified, expired) are reported against the latest attempt. */
export function announceSessionEnd(callbacks: StatusCallbacks, session: Session, sessionStatus: 'verified' | 'expired'): void {
  const attempt = session.attempts.at(-1);
  if (!attempt) return;
  callbacks.notify({ session, attempt, channelStatus: lastStep(attempt), channelErrorCode: attempt.failure?.errorCode, sessionStatus });
}

// What a delivery looks like from the outside. The emulator does not send anything: an attempt is
// "delivered" (sms) or "answer"ed (voice) at once, and the status callbacks replay the steps a
// real delivery would go through, in order, so callback receivers see a realistic sequence.
import type { StatusCallbacks } from './status-callbacks';
import { statusOf, type Attempt, type Channel, type Session } from './session-model';

const CHANNEL_STEPS: Record<Channel, readonly string[]> = {
  sms: ['queued', 'sent', 'delivered'],
  voice: ['ringing', 'in-progress', 'completed'],
};

export function announceAttempt(callbacks: StatusCallbacks, session: Session, attempt: Attempt, now: number): void {
  const sessionStatus = statusOf(session, now);
  for (const channelStatus of CHANNEL_STEPS[attempt.channel]) {
    callbacks.notify({ session, attempt, channelStatus, sessionStatus });
  }
}

/** Session-level changes (verified, expired) are reported against the latest attempt. */
export function announceSessionEnd(callbacks: StatusCallbacks, session: Session, sessionStatus: 'verified' | 'expired'): void {
  const attempt = session.attempts.at(-1);
  if (!attempt) return;
  const channelStatus = CHANNEL_STEPS[attempt.channel].at(-1) ?? attempt.status;
  callbacks.notify({ session, attempt, channelStatus, sessionStatus });
}

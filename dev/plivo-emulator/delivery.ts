// What a delivery looks like from the outside. The emulator does not send anything: an attempt is
// "delivered" (sms) or "answer"ed (voice) at once, or fails as a recipient rule says, and the
// status callbacks replay the steps a real delivery would go through, in order and spread out in
// time after the API's answer, so callback receivers see a realistic sequence (and the app's
// answer to the request that caused them is not slowed by them, as it would not be with Plivo).
import type { StatusCallbacks } from './status-callbacks';
import { statusOf, type Attempt, type Channel, type Session } from './session-model';

/** A callback's status and when it goes out, in ms after the API call that caused it. */
type Step = readonly [channelStatus: string, afterMs: number];

// Plivo documents no timing. Chosen: a network hop before the first report; for a text, a
// carrier's acceptance soon after and the handset's receipt within about a second; for a call,
// the phone rings until it is answered and the call lasts while the code is read out, so it
// completes several times later than a text is delivered, as real calls do. Real deliveries take
// longer still, compressed here so the code screen moves along and tests stay fast.
const CHANNEL_STEPS: Record<Channel, readonly Step[]> = {
  sms: [
    ['queued', 50],
    ['sent', 250],
    ['delivered', 1_000],
  ],
  voice: [
    ['ringing', 50],
    ['in-progress', 1_000],
    ['completed', 4_000],
  ],
};

/** Session-level changes (verified, expired) go out after one network hop. */
const SESSION_END_AFTER_MS = 50;

export function announceAttempt(callbacks: StatusCallbacks, session: Session, attempt: Attempt, now: number): void {
  const sessionStatus = statusOf(session, now);
  const { failure } = attempt;
  const steps = CHANNEL_STEPS[attempt.channel];
  steps.forEach(([channelStatus, afterMs], i) => {
    // A failed text (failures are SMS-only) goes through queued and sent like any other, then
    // ends in its failure where it would have been delivered.
    const event =
      failure && i === steps.length - 1
        ? { session, attempt, channelStatus: failure.channelStatus, channelErrorCode: failure.errorCode, sessionStatus }
        : { session, attempt, channelStatus, sessionStatus };
    callbacks.notify(event, afterMs);
  });
}

/** The status an attempt ended in, as its callbacks report it. */
function lastStep(attempt: Attempt): string {
  return attempt.failure?.channelStatus ?? CHANNEL_STEPS[attempt.channel].at(-1)![0];
}

/** Session-level changes (verified, expired) are reported against the latest attempt. */
export function announceSessionEnd(callbacks: StatusCallbacks, session: Session, sessionStatus: 'verified' | 'expired'): void {
  const attempt = session.attempts.at(-1);
  if (!attempt) return;
  callbacks.notify(
    { session, attempt, channelStatus: lastStep(attempt), channelErrorCode: attempt.failure?.errorCode, sessionStatus },
    SESSION_END_AFTER_MS,
  );
}

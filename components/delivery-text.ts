import type { Channel, DeliveryFailure, DeliveryResponse } from '@/lib/api-contract';

// What the code screen says about a delivery. Each sentence is one string, for translation.
const FAILURE_TEXT: Record<DeliveryFailure, string> = {
  country_blocked: 'We could not text your code: our SMS provider does not send texts to your country for this site. We can call you with the code instead.',
  fraud_threshold: 'We could not text your code: our SMS provider held it back because of unusual traffic to your network. We can call you with the code instead.',
  fraud_shield: "We could not text your code: our SMS provider's fraud protection stopped it. We can call you with the code instead.",
  undelivered: 'Your phone did not receive the text: it may be switched off, out of coverage or unable to receive texts. We can call you with the code instead.',
};

const PROGRESS_TEXT: Record<Channel, Partial<Record<DeliveryResponse['delivery'], string>>> = {
  sms: { sent: 'Sent', delivered: 'Delivered' },
  voice: { sent: 'Calling', delivered: 'Call completed' },
};

/** The short progress word, or null when there is nothing to say yet (sending, unknown, failed). */
export function deliveryProgressText(channel: Channel, status: DeliveryResponse | null): string | null {
  return (status && PROGRESS_TEXT[channel][status.delivery]) ?? null;
}

/** Why the text did not arrive, when it did not. */
export function deliveryFailureText(status: DeliveryResponse | null): string | null {
  return status?.delivery === 'failed' ? FAILURE_TEXT[status.reason] : null;
}

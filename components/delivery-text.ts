import type { Channel, DeliveryFailure, DeliveryResponse } from '@/lib/api-contract';
import type { Translate } from '@/lib/i18n/translate';

// What the code screen says about a delivery (catalog section "delivery").
const FAILURE_KEY = {
  country_blocked: 'delivery.country_blocked',
  fraud_threshold: 'delivery.fraud_threshold',
  fraud_shield: 'delivery.fraud_shield',
  undelivered: 'delivery.undelivered',
} as const satisfies Record<DeliveryFailure, string>;

type ProgressKey = `delivery.${Channel}${'Sent' | 'Delivered'}`;
const PROGRESS_KEY: Record<Channel, Partial<Record<DeliveryResponse['delivery'], ProgressKey>>> = {
  sms: { sent: 'delivery.smsSent', delivered: 'delivery.smsDelivered' },
  voice: { sent: 'delivery.voiceSent', delivered: 'delivery.voiceDelivered' },
};

/** The short progress word, or null when there is nothing to say yet (sending, unknown, failed). */
export function deliveryProgressText(channel: Channel, status: DeliveryResponse | null, t: Translate): string | null {
  const key = status && PROGRESS_KEY[channel][status.delivery];
  return key ? t(key) : null;
}

/** Why the text did not arrive, when it did not. */
export function deliveryFailureText(status: DeliveryResponse | null, t: Translate): string | null {
  return status?.delivery === 'failed' ? t(FAILURE_KEY[status.reason]) : null;
}

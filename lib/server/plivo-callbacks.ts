import 'server-only';

import { createHmac, timingSafeEqual } from 'node:crypto';

import type { DeliveryFailure } from '@/lib/api-contract';
import type { Env } from './env';
import type { DeliveryState } from './sign-in/ports';

/** Plivo's delivery status callbacks come to this path, followed by the delivery's name. */
export const DELIVERY_CALLBACK_PATH = '/api/plivo/status';

// Addresses Plivo's servers cannot call: a loopback or private APP_URL (a laptop, a container).
const UNREACHABLE_HOST =
  /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+)$/;

/**
 * Whether Plivo reports deliveries to this app: unless PLIVO_DELIVERY_REPORTS=off, whenever it can.
 * APP_URL is where it calls back, so that must be a public address, unless Plivo is the local
 * emulator, which runs beside the app. Otherwise no callback URL is sent and nobody (member or not)
 * is shown a delivery status.
 */
export function deliveryReportsEnabled(env: Env): boolean {
  if (env.PLIVO_DELIVERY_REPORTS === 'off') return false;
  return env.plivoEmulated || !UNREACHABLE_HOST.test(new URL(env.APP_URL).hostname);
}

/** The status-callback URL of one delivery, exactly as Plivo will sign it. */
export function deliveryCallbackUrl(env: Env, delivery: string): string {
  return new URL(`${DELIVERY_CALLBACK_PATH}/${encodeURIComponent(delivery)}`, env.APP_URL).toString();
}

/**
 * Plivo's V2 signature (its signature-validation docs; the SDK's validateSignature): base64
 * HMAC-SHA256, keyed with the auth token, of the URL without its query string followed by the
 * nonce. Compared in constant time.
 */
export function signedByPlivo(url: string, nonce: string, signature: string, authToken: string): boolean {
  const { origin, pathname } = new URL(url);
  const expected = createHmac('sha256', authToken).update(`${origin}${pathname}${nonce}`).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const FAILURE_BY_ERROR_CODE: Record<string, DeliveryFailure> = {
  '450': 'country_blocked', // Geo Permissions
  '451': 'fraud_threshold', // the messaging fraud threshold
  '452': 'fraud_shield', // Fraud Shield
};

/**
 * What a callback says about its delivery; undefined for the ones that say nothing about it (the
 * session verified or expired, a status Plivo may add later). Plivo's ChannelStatus words for SMS
 * (queued, sent, delivered, undelivered, failed) and voice (ringing, in-progress, completed).
 */
export function deliveryStateOf(fields: URLSearchParams): DeliveryState | undefined {
  if (fields.get('SessionStatus') !== 'in-progress') return undefined;
  const errorCode = fields.get('ChannelErrorCode') ?? '';
  switch (fields.get('ChannelStatus')) {
    case 'queued':
      return { state: 'sending' };
    case 'sent':
    case 'ringing':
    case 'in-progress':
      return { state: 'sent' };
    case 'delivered':
    case 'completed':
      return { state: 'delivered' };
    case 'failed':
    case 'undelivered':
      return { state: 'failed', reason: FAILURE_BY_ERROR_CODE[errorCode] ?? 'undelivered' };
    default:
      return undefined;
  }
}

// Per-recipient behaviours: Plivo refuses some numbers and not others (a country outside the
// account's Geo Permissions, a number it considers invalid, its own rate limit) and caps how often
// one session's code is delivered. Tests and developers set them through POST /dev/recipients for a
// number or a prefix (a country code), so the app's handling of each refusal can be exercised.
import type { DeliveryFailure } from './session-model';
import { stripPlus } from './wire-format';

// Plivo documents the statuses (403 geo on create, 400 bad parameter, 429) but not the texts;
// these are the emulator's (README, "Choices").
export const REFUSALS = {
  geo: { status: 403, error: 'destination country is not enabled in the Geo Permissions of this account' },
  invalid: { status: 400, error: 'recipient is not a valid phone number' },
  rate_limit: { status: 429, error: 'too many requests' },
} as const;
type Refusal = keyof typeof REFUSALS;

// Deliveries that fail after create answered 200, reported only through the status callback
// (reference §6): Geo Permissions (450), the messaging fraud threshold (451), Fraud Shield (452),
// and a text the network could not deliver, with no code.
export const SMS_FAILURES = {
  '450': { channelStatus: 'failed', errorCode: '450' },
  '451': { channelStatus: 'failed', errorCode: '451' },
  '452': { channelStatus: 'failed', errorCode: '452' },
  failed: { channelStatus: 'failed', errorCode: '' },
  undelivered: { channelStatus: 'undelivered', errorCode: '' },
} as const satisfies Record<string, DeliveryFailure>;
type SmsFailure = keyof typeof SMS_FAILURES;

export interface RecipientRule {
  /** Digits without "+": a whole number, or a prefix such as "33" for every French number. */
  prefix: string;
  refuse: Refusal | undefined;
  /** Deliveries one session of a matching number allows, in place of the app's setting. */
  maxAttempts: number | undefined;
  /** How a matching number's text messages fail after create succeeded; calls still get through. */
  failSms: SmsFailure | undefined;
}

export type ParsedRule = { ok: true; rule: RecipientRule } | { ok: false; error: string };

export function parseRule(input: Record<string, unknown>): ParsedRule {
  const { recipient, refuse, maxAttempts, failSms } = input;
  if (typeof recipient !== 'string' || !/^\+?\d{1,15}$/.test(recipient.trim())) {
    return { ok: false, error: 'recipient must be a phone number or a prefix of one (digits, "+" optional)' };
  }
  if (refuse !== undefined && !Object.hasOwn(REFUSALS, refuse as string)) {
    return { ok: false, error: `refuse must be one of ${Object.keys(REFUSALS).join(', ')}` };
  }
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || (maxAttempts as number) < 1)) {
    return { ok: false, error: 'maxAttempts must be a positive integer' };
  }
  if (failSms !== undefined && !Object.hasOwn(SMS_FAILURES, failSms as string)) {
    return { ok: false, error: `failSms must be one of ${Object.keys(SMS_FAILURES).join(', ')}` };
  }
  if (refuse === undefined && maxAttempts === undefined && failSms === undefined) {
    return { ok: false, error: 'give refuse, maxAttempts or failSms' };
  }
  return {
    ok: true,
    rule: {
      prefix: stripPlus(recipient.trim()),
      refuse: refuse as Refusal | undefined,
      maxAttempts: maxAttempts as number | undefined,
      failSms: failSms as SmsFailure | undefined,
    },
  };
}

/** The rule of the longest matching prefix (the newest of equals): a number is more specific than its country. */
export function matchRule(rules: readonly RecipientRule[], recipient: string): RecipientRule | undefined {
  let best: RecipientRule | undefined;
  for (const rule of rules) {
    if (recipient.startsWith(rule.prefix) && rule.prefix.length >= (best?.prefix.length ?? 0)) best = rule;
  }
  return best;
}

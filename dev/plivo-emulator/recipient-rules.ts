// Per-recipient behaviours: Plivo refuses some numbers and not others (a country outside the
// account's Geo Permissions, a number it considers invalid, its own rate limit) and caps how often
// one session's code is delivered. Tests and developers set them through POST /dev/recipients for a
// number or a prefix (a country code), so the app's handling of each refusal can be exercised.
import { stripPlus } from './wire-format';

// Plivo documents the statuses (403 geo on create, 400 bad parameter, 429) but not the texts;
// these are the emulator's (README, "Choices").
export const REFUSALS = {
  geo: { status: 403, error: 'destination country is not enabled in the Geo Permissions of this account' },
  invalid: { status: 400, error: 'recipient is not a valid phone number' },
  rate_limit: { status: 429, error: 'too many requests' },
} as const;
type Refusal = keyof typeof REFUSALS;

export interface RecipientRule {
  /** Digits without "+": a whole number, or a prefix such as "33" for every French number. */
  prefix: string;
  refuse: Refusal | undefined;
  /** Deliveries one session of a matching number allows, in place of the app's setting. */
  maxAttempts: number | undefined;
}

export type ParsedRule = { ok: true; rule: RecipientRule } | { ok: false; error: string };

export function parseRule(input: Record<string, unknown>): ParsedRule {
  const { recipient, refuse, maxAttempts } = input;
  if (typeof recipient !== 'string' || !/^\+?\d{1,15}$/.test(recipient.trim())) {
    return { ok: false, error: 'recipient must be a phone number or a prefix of one (digits, "+" optional)' };
  }
  if (refuse !== undefined && !Object.hasOwn(REFUSALS, refuse as string)) {
    return { ok: false, error: `refuse must be one of ${Object.keys(REFUSALS).join(', ')}` };
  }
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || (maxAttempts as number) < 1)) {
    return { ok: false, error: 'maxAttempts must be a positive integer' };
  }
  if (refuse === undefined && maxAttempts === undefined) return { ok: false, error: 'give refuse or maxAttempts' };
  return {
    ok: true,
    rule: { prefix: stripPlus(recipient.trim()), refuse: refuse as Refusal | undefined, maxAttempts: maxAttempts as number | undefined },
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

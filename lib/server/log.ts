import 'server-only';

import type { ErrorCode } from '@/lib/api-contract';
import { maskPhone } from '@/lib/phone';

export type AuthEvent = 'start' | 'resend' | 'verify' | 'first_name' | 'logout' | 'sign_out_others' | 'session' | 'delivery' | 'delivery_report' | 'pass_through' | 'internal';

export type AuthLogFields = {
  /** `ok`, or the error code the person got (`rate_limited` marks a limit hit). */
  outcome: 'ok' | ErrorCode;
  phone?: string;
  userId?: string;
  channel?: string;
  /** 1 when the number belongs to nobody and nothing was sent. */
  decoy?: 0 | 1;
  /** 1 when nobody holds the number and it was sent a real code to sign up with (SIGN_UP=open). */
  newcomer?: 0 | 1;
  /** A short, secret-free description of an upstream or internal failure. */
  reason?: string;
};

/**
 * One JSON line per auth event. Phones are masked here, so callers cannot forget; there is no
 * field for codes, tokens or cookies, so they cannot be logged by accident.
 */
export function logAuthEvent(event: AuthEvent, { phone, ...fields }: AuthLogFields) {
  const line = JSON.stringify({
    at: new Date().toISOString(),
    event,
    ...fields,
    ...(phone ? { phone: maskPhone(phone) } : {}),
  });
  if (fields.outcome === 'internal_error' || fields.outcome === 'upstream_unavailable') console.error(line);
  else console.info(line);
}

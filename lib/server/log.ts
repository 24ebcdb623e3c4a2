import 'server-only';

import type { ErrorCode } from '@/lib/api-contract';
import { maskPhone } from '@/lib/phone';

/** The steps of signing in (and of being signed in) that each write a line. */
export type AuthEvent =
  | 'start'
  | 'resend'
  | 'verify'
  | 'first_name'
  | 'logout'
  | 'sign_out_others'
  | 'session'
  | 'delivery'
  | 'delivery_report'
  | 'pass_through'
  | 'passkey_sign_in_options'
  | 'passkey_sign_in'
  | 'passkey_add_options'
  | 'passkey_add'
  | 'passkey_list'
  | 'passkey_rename'
  | 'passkey_remove';

/** Routes that are no step of signing in: their lines are all the `route` event, naming the route. */
export type RouteName = 'health' | 'sweep_tokens' | 'auth_form';

/** What a line is about. */
export type LogSubject = AuthEvent | { route: RouteName };

export type LogFields = {
  /** `ok`, or the error code the person got (`rate_limited` marks a limit hit). */
  outcome: 'ok' | ErrorCode;
  phone?: string;
  userId?: string;
  channel?: string;
  /** 1 when the number belongs to nobody and nothing was sent. */
  decoy?: 0 | 1;
  /** 1 when nobody holds the number and it was sent a real code to sign up with (SIGN_UP=open). */
  newcomer?: 0 | 1;
  /** How many expired credentials the token sweep ended. */
  swept?: number;
  /** A short, secret-free description of an upstream or internal failure. */
  reason?: string;
};

/**
 * One JSON line per event. Phones are masked here, so callers cannot forget; there is no field
 * for codes, tokens or cookies, so they cannot be logged by accident.
 */
export function logEvent(subject: LogSubject, { phone, ...fields }: LogFields) {
  const line = JSON.stringify({
    at: new Date().toISOString(),
    ...(typeof subject === 'string' ? { event: subject } : { event: 'route', route: subject.route }),
    ...fields,
    ...(phone ? { phone: maskPhone(phone) } : {}),
  });
  if (fields.outcome === 'internal_error' || fields.outcome === 'upstream_unavailable') console.error(line);
  else console.info(line);
}

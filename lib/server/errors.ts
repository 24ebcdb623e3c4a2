import 'server-only';

import type { ApiErrorBody, ErrorCode } from '@/lib/api-contract';
import type { SessionData } from './session-seal';

type Extra = { retryAfter?: number; attemptsLeft?: number };

// The single table from error code to HTTP status and the sentence a person reads.
const ERRORS: Record<ErrorCode, { status: number; message: string }> = {
  invalid_request: { status: 400, message: 'The request could not be understood.' },
  invalid_phone: { status: 400, message: 'That does not look like a mobile number we can text. Check it and try again.' },
  country_not_allowed: { status: 403, message: 'We cannot send codes to numbers in that country.' },
  forbidden_origin: { status: 403, message: 'This request did not come from this site.' },
  rate_limited: { status: 429, message: 'Too many requests. Please wait a moment and try again.' },
  upstream_unavailable: { status: 503, message: 'Sign-in is temporarily unavailable. Please try again in a moment.' },
  no_pending_verification: { status: 409, message: 'There is no code waiting for you. Enter your phone number to get one.' },
  invalid_code: { status: 400, message: 'That code is not right. Check the message and try again.' },
  code_expired: { status: 410, message: 'That code has expired. Ask for a new one.' },
  too_many_attempts: { status: 429, message: 'Too many wrong codes. Ask for a new code.' },
  unauthorized: { status: 401, message: 'You are not allowed to do that.' },
  forbidden: { status: 403, message: 'You do not have access to that.' },
  path_not_allowed: { status: 403, message: 'This site does not pass that request on.' },
  not_found: { status: 404, message: 'Not found.' },
  internal_error: { status: 500, message: 'Something went wrong on our side. Please try again.' },
  callback_unsigned: { status: 401, message: 'This status report carries no Plivo signature.' },
  callback_signature_invalid: { status: 403, message: 'This status report is not signed by our Plivo account.' },
  callback_replayed: { status: 409, message: 'This status report was received before.' },
  callback_stale: { status: 410, message: 'This status report is about a delivery that is over or unknown.' },
};

/** The one error type the server raises on purpose; everything else is a bug. */
export class AuthError extends Error {
  override name = 'AuthError';

  constructor(
    readonly code: ErrorCode,
    readonly extra: Extra = {},
    options?: { cause?: unknown },
  ) {
    super(ERRORS[code].message, options);
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

/** A refusal that also changes the session (a dropped verification), which the caller stores. */
export class SignInFailure extends AuthError {
  constructor(
    code: ErrorCode,
    readonly session: SessionData,
    extra?: Extra,
  ) {
    super(code, extra);
  }
}

/**
 * Plivo has delivered this number's code as often as one of its sessions allows: refused until
 * that session ends, which only the sign-in knows (the code's window), so it fills in `retryAfter`.
 */
export class DeliveryCapReached extends AuthError {
  constructor(options?: { cause?: unknown }) {
    super('rate_limited', {}, options);
  }
}

export function errorResponse(error: AuthError): Response {
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  if (error.extra.retryAfter !== undefined) headers.set('Retry-After', String(error.extra.retryAfter));
  return Response.json(error.toBody(), { status: error.status, headers });
}

import 'server-only';

import type { ApiErrorBody, BotCheckChallenge, ErrorCode } from '@/lib/api-contract';
import { CATALOGS } from '@/lib/i18n/catalogs';
import { DEFAULT_LOCALE, type Locale } from '@/lib/i18n/locales';
import type { SessionData } from './sign-in/session-data';

type Extra = {
  retryAfter?: number;
  attemptsLeft?: number;
  botCheck?: BotCheckChallenge;
};

// The single table from error code to HTTP status. The sentence a person reads is in the
// catalogs (lib/i18n/messages/*.json, under "errors"), in each language.
const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_phone: 400,
  country_not_allowed: 403,
  forbidden_origin: 403,
  rate_limited: 429,
  upstream_unavailable: 503,
  no_pending_verification: 409,
  invalid_code: 400,
  code_expired: 410,
  too_many_attempts: 429,
  invalid_first_name: 400,
  unauthorized: 401,
  forbidden: 403,
  path_not_allowed: 403,
  not_found: 404,
  internal_error: 500,
  callback_unsigned: 401,
  callback_signature_invalid: 403,
  callback_replayed: 409,
  callback_stale: 410,
  bot_check_required: 428,
  bot_check_invalid: 400,
  bot_check_expired: 410,
  bot_check_replayed: 409,
  bot_check_too_easy: 400,
  country_paused: 503,
  passkeys_unavailable: 404,
  passkey_refused: 403,
  recent_sign_in_required: 403,
  passkey_not_added: 400,
  passkey_not_found: 404,
  invalid_passkey_name: 400,
};

/** Whether a value is one of the contract's error codes (a page after a form post reads one from its query). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(STATUS, value);
}

/** The error's sentence in a language; the code stays the same in every one. */
export function errorMessage(code: ErrorCode, locale: Locale): string {
  return CATALOGS[locale].errors[code];
}

/**
 * The one error type the server raises on purpose, whatever its cause (a refusal, a limit, an
 * upstream that is down): a stable code the API answers with. Everything else is a bug.
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly code: ErrorCode,
    readonly extra: Extra = {},
    options?: { cause?: unknown },
  ) {
    // In English for logs and stack traces; the body carries the person's language.
    super(errorMessage(code, DEFAULT_LOCALE), options);
  }

  get status(): number {
    return STATUS[this.code];
  }

  toBody(locale: Locale = DEFAULT_LOCALE): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: errorMessage(this.code, locale),
        ...this.extra,
      },
    };
  }
}

/** A refusal that also changes the session (a dropped verification), which the caller stores. */
export class SignInFailure extends ApiError {
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
export class DeliveryCapReached extends ApiError {
  constructor(options?: { cause?: unknown }) {
    super('rate_limited', {}, options);
  }
}

/**
 * Every API answer's Cache-Control: per person, so never stored; and a body of a few hundred
 * bytes, so not compressed: `no-transform` is what Next's compression (and any proxy) honours,
 * which would otherwise start a deflate stream for each answer.
 */
export const API_CACHE_CONTROL = 'no-store, no-transform';

/** The error as the API answers it, its sentence in the request's language. */
export function errorResponse(error: ApiError, locale: Locale): Response {
  const headers = new Headers({ 'Cache-Control': API_CACHE_CONTROL });
  if (error.extra.retryAfter !== undefined) headers.set('Retry-After', String(error.extra.retryAfter));
  return Response.json(error.toBody(locale), { status: error.status, headers });
}

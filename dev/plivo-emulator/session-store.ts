// In-memory sessions and the two state transitions Plivo performs on them: send a code (create or
// resend) and check a code (validate). Everything here is synchronous and takes `now` explicitly,
// which keeps the rules testable and independent of HTTP.
import { randomInt, timingSafeEqual } from 'node:crypto';
import { newUuid } from './wire-format';
import {
  ATTEMPT_CHARGE_UNITS,
  FINAL_ATTEMPT_STATUS,
  countryOf,
  statusOf,
  type Attempt,
  type Channel,
  type DeliveryFailure,
  type Session,
  type StatusCallback,
} from './session-model';

export interface StoreLimits {
  expirySeconds: number;
  codeLength: number;
  maxValidations: number;
  /** Deliveries (first send + resends) allowed in one session. */
  maxAttempts: number;
}

export interface AttemptOptions {
  dtmf: number | null;
  fraudCheck: string | null;
}

export interface SendCodeInput {
  appUuid: string;
  alias: string;
  recipient: string; // digits only
  channel: Channel;
  locale: string;
  brandName: string;
  appHash: string;
  codeLength: number | undefined;
  callback: StatusCallback | null;
  requestorIp: string;
  /** Per-attempt options; their effect on delivery is undocumented, so they are only echoed. */
  attemptOptions: AttemptOptions;
  /** Deliveries this number's session allows, when a recipient rule sets them. */
  maxAttempts?: number;
  /** How this number's text messages fail, when a recipient rule sets it; calls still get through. */
  smsFailure?: DeliveryFailure;
}

export type Failure = { ok: false; status: 400 | 404; error: string };
export type SendCodeOutcome = { ok: true; session: Session; attempt: Attempt; isNew: boolean } | Failure;
export type ValidateOutcome = { ok: true; session: Session } | Failure;

// Texts chosen by the emulator where Plivo documents none (see README, "Choices").
export const ERRORS = {
  notFound: 'not found',
  expired: 'session expired',
  alreadyVerified: 'session already verified',
  tooManyValidations: 'maximum validation attempts exceeded',
  wrongCode: 'Invalid OTP',
  tooManyAttempts: 'maximum delivery attempts exceeded for this session',
} as const;

export class SessionStore {
  // Map keeps insertion order, i.e. creation order; listings reverse it for newest first.
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly limits: StoreLimits) {}

  get(uuid: string): Session | undefined {
    return this.sessions.get(uuid);
  }

  /** Every session, newest first. */
  newestFirst(): Session[] {
    return [...this.sessions.values()].reverse();
  }

  clear(): void {
    this.sessions.clear();
  }

  /**
   * Plivo keeps one session per recipient within the code's expiry: a second create while it is
   * live is a resend, which delivers the same code again (possibly on another channel) as a new
   * attempt of that session.
   */
  sendCode(input: SendCodeInput, now: number): SendCodeOutcome {
    const live = this.newestFirst().find(
      (s) => s.appUuid === input.appUuid && s.recipient === input.recipient && statusOf(s, now) === 'in-progress',
    );
    if (live) {
      if (live.attempts.length >= (input.maxAttempts ?? this.limits.maxAttempts)) {
        return { ok: false, status: 400, error: ERRORS.tooManyAttempts };
      }
      const attempt = this.addAttempt(live, input, now);
      if (input.callback) live.callback = input.callback;
      return { ok: true, session: live, attempt, isNew: false };
    }

    const session: Session = {
      uuid: newUuid(),
      appUuid: input.appUuid,
      alias: input.alias,
      recipient: input.recipient,
      code: newCode(input.codeLength ?? this.limits.codeLength),
      locale: input.locale,
      brandName: input.brandName,
      appHash: input.appHash,
      requestorIp: input.requestorIp,
      countryIso2: countryOf(input.recipient),
      network: null,
      attempts: [],
      validations: 0,
      verifiedAt: null,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.limits.expirySeconds * 1000,
      callback: input.callback,
      expiryNotified: false,
    };
    this.sessions.set(session.uuid, session);
    const attempt = this.addAttempt(session, input, now);
    return { ok: true, session, attempt, isNew: true };
  }

  /** Order of checks: reference §11.5 (unknown, expired, verified, limit, compare). */
  validate(uuid: string, otp: string, now: number): ValidateOutcome {
    const session = this.sessions.get(uuid);
    if (!session) return { ok: false, status: 404, error: ERRORS.notFound };
    const status = statusOf(session, now);
    if (status === 'expired') return { ok: false, status: 400, error: ERRORS.expired };
    if (status === 'verified') return { ok: false, status: 400, error: ERRORS.alreadyVerified };
    if (session.validations >= this.limits.maxValidations) {
      return { ok: false, status: 400, error: ERRORS.tooManyValidations };
    }
    session.validations += 1;
    session.updatedAt = now;
    if (!sameCode(otp, session.code)) return { ok: false, status: 400, error: ERRORS.wrongCode };
    session.verifiedAt = now;
    return { ok: true, session };
  }

  /** Sessions that have expired since the last call; each is returned once (for callbacks). */
  takeNewlyExpired(now: number): Session[] {
    const expired = [...this.sessions.values()].filter((s) => !s.expiryNotified && statusOf(s, now) === 'expired');
    for (const s of expired) s.expiryNotified = true;
    return expired;
  }

  private addAttempt(session: Session, input: SendCodeInput, now: number): Attempt {
    const { channel } = input;
    const failure = channel === 'sms' ? (input.smsFailure ?? null) : null;
    const attempt: Attempt = {
      uuid: newUuid(),
      channel,
      status: failure?.channelStatus ?? FINAL_ATTEMPT_STATUS[channel],
      failure,
      createdAt: now,
      chargeUnits: ATTEMPT_CHARGE_UNITS[channel],
      ...input.attemptOptions,
    };
    session.attempts.push(attempt);
    session.updatedAt = now;
    return attempt;
  }
}

/** Uniform digits from the CSPRNG; leading zeros are kept (codes are strings). */
function newCode(length: number): string {
  return String(randomInt(0, 10 ** length)).padStart(length, '0');
}

function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

'use client';

import { useEffect, useId, useRef, useState, type BaseSyntheticEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslations } from 'next-intl';

import type { Channel, CodeSentResponse, SignedInResponse } from '@/lib/api-contract';
import { postJson, type ClientError } from '@/lib/api-client';
import { sanitizeCode } from '@/lib/digits';
import { errorText } from '@/lib/error-text';
import type { Translate } from '@/lib/i18n/translate';
import { safeNextPath } from '@/lib/safe-next-path';
import { formatWait } from '@/lib/wait-time';
import { deliveryFailureText, deliveryProgressText } from './delivery-text';
import type { PhoneValues } from './phone-form';
import { useCountdown } from './use-countdown';
import { useDeliveryStatus } from './use-delivery-status';

/** Plivo's shortest codes: fewer digits cannot be a code, so the form says so instead of sending them. */
const MIN_CODE_LENGTH = 4;
/**
 * Room in the field beyond the code for the separators that inserted text carries ("123 456",
 * "1234-5678"): the browser would cut them off before the change handler, which keeps digits only.
 */
const SEPARATOR_ROOM = 2;
/** Errors after which this code can never work: offer a new code or another number. */
const DEAD_CODE = new Set<ClientError['code']>(['no_pending_verification', 'code_expired', 'too_many_attempts']);

type Props = {
  sent: CodeSentResponse;
  /** When "Resend code" / "Call me instead" become available (ms since epoch). */
  resendAt: number;
  phoneValues: PhoneValues;
  next: string | null;
  /** Digits in a code: the field holds this many, and typing or pasting them all submits the form. */
  codeLength: number;
  /** A fresh verification was started ("Get a new code"). */
  onRestarted: (response: CodeSentResponse) => void;
  onChangeNumber: () => void;
};

type Busy = null | 'verify' | Channel | 'restart' | 'navigating';

function sentText(channel: Channel, phone: string, again: boolean, t: Translate): string {
  if (channel === 'voice') return t('code.calling', { phone });
  return again ? t('code.sentSmsAgain', { phone }) : t('code.sentSms', { phone });
}

export function CodeForm({
  sent: initialSent,
  resendAt: initialResendAt,
  phoneValues,
  next,
  codeLength,
  onRestarted,
  onChangeNumber,
}: Props) {
  const id = useId();
  const t = useTranslations();
  const [sent, setSent] = useState(initialSent);
  const [resent, setResent] = useState(false);
  // Each delivery of the code (the first, each resend) and when the code dies.
  const [delivery, setDelivery] = useState(() => ({ round: 0, expiresAt: Date.now() + initialSent.expiresIn * 1000 }));
  const deliveryStatus = useDeliveryStatus(delivery.round, delivery.expiresAt);
  const [busy, setBusyState] = useState<Busy>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const busyRef = useRef<Busy>(null);
  const lastAutoSubmitted = useRef('');
  const [secondsLeft, restartCountdown, waitEnded] = useCountdown(initialResendAt);
  const { register, handleSubmit, setValue, setFocus, clearErrors, formState } = useForm<{ code: string }>({
    defaultValues: { code: '' },
  });

  useEffect(() => {
    setFocus('code');
  }, [setFocus]);

  // A ref, not just state: two taps in the same frame both see the old state.
  const begin = (what: Exclude<Busy, null>): boolean => {
    if (busyRef.current) return false;
    busyRef.current = what;
    setBusyState(what);
    setError(null);
    return true;
  };
  const end = () => {
    busyRef.current = null;
    setBusyState(null);
  };

  const clearCode = () => {
    setValue('code', '');
    lastAutoSubmitted.current = '';
    setFocus('code');
  };

  const verify = async ({ code }: { code: string }) => {
    if (!begin('verify')) return;
    const result = await postJson<SignedInResponse>('/api/auth/verify', { code: sanitizeCode(code, codeLength) });
    if (result.ok) {
      busyRef.current = 'navigating';
      setBusyState('navigating');
      // A full page load, so the next page renders with the new session cookie and nothing of
      // this form (the code) stays in memory.
      window.location.assign(safeNextPath(next) ?? safeNextPath(result.data.redirectTo) ?? '/account');
      return;
    }
    end();
    setError(result.error);
    setFocus('code', { shouldSelect: true });
  };

  // Built per call (an event handler), not during render.
  const submit = (event?: BaseSyntheticEvent) => handleSubmit(verify)(event);

  const resend = async (channel: Channel) => {
    if (!begin(channel)) return;
    const result = await postJson<CodeSentResponse>('/api/auth/resend', { channel });
    end();
    if (result.ok) {
      setSent(result.data);
      setResent(true);
      setDelivery(({ round }) => ({ round: round + 1, expiresAt: Date.now() + result.data.expiresIn * 1000 }));
      restartCountdown(result.data.resendAfter);
      clearCode();
      return;
    }
    if (result.error.retryAfter) restartCountdown(result.error.retryAfter);
    setError(result.error);
  };

  const restart = async () => {
    if (!begin('restart')) return;
    const result = await postJson<CodeSentResponse>('/api/auth/start', phoneValues);
    end();
    if (result.ok) {
      onRestarted(result.data);
      return;
    }
    setError(result.error);
  };

  const codeField = register('code', {
    validate: (value) => sanitizeCode(value, codeLength).length >= MIN_CODE_LENGTH || t('code.required'),
  });

  /** Puts a cleaned code in the field and submits once when it reaches the full length. */
  const acceptCode = (input: HTMLInputElement, raw: string) => {
    const clean = sanitizeCode(raw, codeLength);
    if (clean !== input.value) input.value = clean;
    setValue('code', clean);
    clearErrors('code');
    if (clean.length === codeLength && clean !== lastAutoSubmitted.current && !busyRef.current) {
      lastAutoSubmitted.current = clean;
      void submit();
    }
  };

  const disabled = busy !== null;
  const waiting = secondsLeft > 0;
  const wait = formatWait(secondsLeft, t);
  const message = error ? errorText(error, t) : (formState.errors.code?.message ?? null);
  const codeInvalid = Boolean(formState.errors.code) || error?.code === 'invalid_code';
  const headingId = `${id}-heading`;
  const sentId = `${id}-sent`;
  const alertId = `${id}-alert`;
  const progress = deliveryProgressText(sent.channel, deliveryStatus, t);
  const failure = deliveryFailureText(deliveryStatus, t);
  const callMe = (
    <button type="button" className={failure ? undefined : 'secondary'} disabled={disabled || waiting} onClick={() => resend('voice')}>
      {waiting ? t('code.callIn', { wait }) : t('code.call')}
    </button>
  );

  return (
    <form aria-labelledby={headingId} aria-busy={disabled} noValidate onSubmit={submit}>
      <h1 id={headingId}>{t('code.heading')}</h1>
      <p id={sentId} aria-live="polite">
        {sentText(sent.channel, sent.phone, resent, t)}{' '}
        {sent.expiresIn > 0 ? t('code.expiresIn', { wait: formatWait(sent.expiresIn, t) }) : null}
      </p>
      {/* Its own live region: announced once per change of the delivery, never by the countdown. */}
      <p className={failure ? 'delivery-status delivery-failed' : 'delivery-status'} aria-live="polite">
        {failure ?? progress}
      </p>
      {failure ? <p className="recover">{callMe}</p> : null}

      <div className="field">
        <label htmlFor={`${id}-code`}>{t('code.label')}</label>
        <input
          id={`${id}-code`}
          className="code-input"
          type="text"
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9]*"
          maxLength={codeLength + SEPARATOR_ROOM}
          spellCheck={false}
          aria-invalid={codeInvalid || undefined}
          aria-describedby={message ? `${alertId} ${sentId}` : sentId}
          {...codeField}
          onChange={(event) => {
            acceptCode(event.currentTarget, event.currentTarget.value);
            if (error) setError(null);
          }}
          onPaste={(event) => {
            // maxLength would cut "123 - 456" before onChange sees it: clean the clipboard text first.
            const text = event.clipboardData.getData('text');
            if (!/\d/.test(text)) return;
            event.preventDefault();
            acceptCode(event.currentTarget, text);
            if (error) setError(null);
          }}
        />
      </div>

      <p id={alertId} role="alert" className="form-error">
        {message}
      </p>
      {error && DEAD_CODE.has(error.code) ? (
        <p className="recover">
          <button type="button" disabled={disabled} onClick={restart}>
            {t('code.newCode')}
          </button>
        </p>
      ) : null}

      <button type="submit" disabled={disabled}>
        {t('code.verify')}
      </button>

      {/* The countdown lives in the buttons' text, which no screen reader reads out as it ticks;
          this polite region speaks once, when they become usable. */}
      <p role="status" className="visually-hidden">
        {waitEnded ? t('code.resendNow') : null}
      </p>
      <div className="secondary-actions">
        <button type="button" className="secondary" disabled={disabled || waiting} onClick={() => resend('sms')}>
          {waiting ? t('code.resendIn', { wait }) : t('code.resend')}
        </button>
        {failure ? null : callMe}
        <button type="button" className="secondary" disabled={disabled} onClick={onChangeNumber}>
          {t('code.changeNumber')}
        </button>
      </div>
    </form>
  );
}

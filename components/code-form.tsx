'use client';

import { useEffect, useId, useState, type BaseSyntheticEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslations } from 'next-intl';

import { postJson, type ClientError } from '@/lib/api-client';
import type { Channel, CodeSentResponse, SignedInResponse } from '@/lib/api-contract';
import { sanitizeCode } from '@/lib/digits';
import { errorText } from '@/lib/error-text';
import type { Translate } from '@/lib/i18n/translate';
import { HOME_PATH } from '@/lib/paths';
import { signedInDestination } from '@/lib/safe-next-path';
import { formatWait } from '@/lib/wait-time';
import { CodeInput } from './code-input';
import { deliveryFailureText, deliveryProgressText } from './delivery-text';
import type { PhoneValues } from './phone-form';
import { FORM_PATH } from './form-path';
import { BotCheckProgress, useBotCheck } from './use-bot-check';
import { useCountdown } from './use-countdown';
import { useDeliveryStatus } from './use-delivery-status';
import { useHydrated } from './use-hydrated';
import { useSingleFlight } from './use-single-flight';

/** Plivo's shortest codes: fewer digits cannot be a code, so the form says so instead of sending them. */
const MIN_CODE_LENGTH = 4;
/** Errors after which this code can never work: offer a new code or another number. */
const DEAD_CODE = new Set<ClientError['code']>(['no_pending_verification', 'code_expired', 'too_many_attempts']);

type Props = {
  sent: CodeSentResponse;
  /** When "Resend code" / "Call me instead" become available (ms since epoch). */
  resendAt: number;
  phoneValues: PhoneValues;
  next: string | null;
  /** The code was sent again (a plain form post's resend). */
  resent: boolean;
  /** What the last plain form post of this step was refused with (before JavaScript ran, or without it). */
  initialError: ClientError | null;
  /** Digits in a code: the field holds this many, and typing or pasting them all submits the form. */
  codeLength: number;
  /** A fresh verification was started ("Get a new code"). */
  onRestarted: (response: CodeSentResponse) => void;
  onChangeNumber: () => void;
};

function sentText(channel: Channel, phone: string, again: boolean, t: Translate): string {
  if (channel === 'voice') return t('code.calling', { phone });
  return again ? t('code.sentSmsAgain', { phone }) : t('code.sentSms', { phone });
}

export function CodeForm({
  sent: initialSent,
  resendAt: initialResendAt,
  phoneValues,
  next,
  resent: initialResent,
  initialError,
  codeLength,
  onRestarted,
  onChangeNumber,
}: Props) {
  const id = useId();
  const t = useTranslations();
  const [sent, setSent] = useState(initialSent);
  const [resent, setResent] = useState(initialResent);
  // Each delivery of the code (the first, each resend) and when the code dies.
  const [delivery, setDelivery] = useState(() => ({
    round: 0,
    expiresAt: Date.now() + initialSent.expiresIn * 1000,
  }));
  // Checking a code: the delivery status is not asked meanwhile (a used code has none; asked after
  // the sign-in, the server answers 409 while the page is leaving).
  const [checking, setChecking] = useState(false);
  const deliveryStatus = useDeliveryStatus(delivery.round, delivery.expiresAt, checking);
  const flight = useSingleFlight();
  const botCheck = useBotCheck();
  const [error, setError] = useState<ClientError | null>(initialError);
  const [secondsLeft, restartCountdown, waitEnded] = useCountdown(initialResendAt);
  const { register, handleSubmit, setValue, setFocus, clearErrors, formState } = useForm<{ code: string }>({
    defaultValues: { code: '' },
  });

  useEffect(() => {
    setFocus('code');
  }, [setFocus]);

  /** Claims the form for one request and clears the last error; false for a double tap. */
  const begin = (): boolean => {
    if (!flight.start()) return false;
    setError(null);
    return true;
  };

  const clearCode = () => {
    setValue('code', '');
    setFocus('code');
  };

  const verify = async ({ code }: { code: string }) => {
    if (!begin()) return;
    setChecking(true);
    const result = await postJson<SignedInResponse>('/api/auth/verify', {
      code: sanitizeCode(code, codeLength),
    });
    if (result.ok) {
      // A full page load, so the next page renders with the new session cookie and nothing of
      // this form (the code) stays in memory. The form stays busy until it goes.
      window.location.assign(signedInDestination(next, result.data.redirectTo, HOME_PATH));
      return;
    }
    setChecking(false);
    flight.finish();
    setError(result.error);
    setFocus('code', { shouldSelect: true });
  };

  // Built per call (an event handler), not during render.
  const submit = (event?: BaseSyntheticEvent) => handleSubmit(verify)(event);

  const resend = async (channel: Channel) => {
    if (!begin()) return;
    const result = await botCheck.post<CodeSentResponse>('/api/auth/resend', {
      channel,
    });
    flight.finish();
    if (result.ok) {
      setSent(result.data);
      setResent(true);
      setDelivery(({ round }) => ({
        round: round + 1,
        expiresAt: Date.now() + result.data.expiresIn * 1000,
      }));
      restartCountdown(result.data.resendAfter);
      clearCode();
      return;
    }
    if (result.error.retryAfter) restartCountdown(result.error.retryAfter);
    setError(result.error);
  };

  const restart = async () => {
    if (!begin()) return;
    const result = await botCheck.post<CodeSentResponse>('/api/auth/start', phoneValues);
    flight.finish();
    if (result.ok) {
      onRestarted(result.data);
      return;
    }
    setError(result.error);
  };

  const codeField = register('code', {
    validate: (value) => sanitizeCode(value, codeLength).length >= MIN_CODE_LENGTH || t('code.required'),
  });

  // Before React has hydrated, and without JavaScript, every button posts the form with its
  // `intent` and the server answers (a resend too soon with its wait); afterwards they are
  // buttons of this page again, the countdown keeping Resend and Call until they are allowed.
  const hydrated = useHydrated();
  const secondary = hydrated ? 'button' : 'submit';
  const disabled = flight.busy;
  const waiting = hydrated && secondsLeft > 0;
  const wait = formatWait(secondsLeft, t);
  const message = error ? errorText(error, t, { scripted: hydrated }) : (formState.errors.code?.message ?? null);
  const codeInvalid = Boolean(formState.errors.code) || error?.code === 'invalid_code';
  const headingId = `${id}-heading`;
  const sentId = `${id}-sent`;
  const alertId = `${id}-alert`;
  const progress = deliveryProgressText(sent.channel, deliveryStatus, t);
  const failure = deliveryFailureText(deliveryStatus, t);
  const callMe = (
    <button
      type={secondary}
      name="intent"
      value="voice"
      className={failure ? undefined : 'secondary'}
      disabled={disabled || waiting}
      onClick={() => resend('voice')}
    >
      {waiting ? t('code.callIn', { wait }) : t('code.call')}
    </button>
  );

  return (
    <form method="post" action={FORM_PATH} aria-labelledby={headingId} aria-busy={disabled} noValidate onSubmit={submit}>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {/* "Get a new code" starts again with this number. */}
      <input type="hidden" name="phone" value={phoneValues.phone} />
      <input type="hidden" name="country" value={phoneValues.country} />
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
        <CodeInput
          id={`${id}-code`}
          codeLength={codeLength}
          field={codeField}
          invalid={codeInvalid}
          describedBy={message ? `${alertId} ${sentId}` : sentId}
          round={delivery.round}
          onCode={(code) => {
            setValue('code', code);
            clearErrors('code');
            if (error) setError(null);
          }}
          onComplete={() => {
            if (flight.isRunning()) return false;
            void submit();
            return true;
          }}
        />
      </div>

      <BotCheckProgress progress={botCheck.progress} />

      <p id={alertId} role="alert" className="form-error">
        {message}
      </p>
      {error && DEAD_CODE.has(error.code) ? (
        <p className="recover">
          <button type={secondary} name="intent" value="restart" disabled={disabled} onClick={restart}>
            {t('code.newCode')}
          </button>
        </p>
      ) : null}

      <button type="submit" name="intent" value="verify" disabled={disabled}>
        {t('code.verify')}
      </button>

      {/* The countdown lives in the buttons' text, which no screen reader reads out as it ticks;
          this polite region speaks once, when they become usable. */}
      <p role="status" className="visually-hidden">
        {waitEnded ? t('code.resendNow') : null}
      </p>
      <div className="secondary-actions">
        <button
          type={secondary}
          name="intent"
          value="sms"
          className="secondary"
          disabled={disabled || waiting}
          onClick={() => resend('sms')}
        >
          {waiting ? t('code.resendIn', { wait }) : t('code.resend')}
        </button>
        {failure ? null : callMe}
        <button type={secondary} name="intent" value="change-number" className="secondary" disabled={disabled} onClick={onChangeNumber}>
          {t('code.changeNumber')}
        </button>
      </div>
    </form>
  );
}

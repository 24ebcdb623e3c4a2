'use client';

import dynamic from 'next/dynamic';
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslations } from 'next-intl';
import type { CountryCode } from 'libphonenumber-js/min';

import type { ClientError } from '@/lib/api-client';
import type { CodeSentResponse } from '@/lib/api-contract';
import type { CountryOption } from '@/lib/country-option';
import { errorText } from '@/lib/error-text';
import { FORM_PATH } from './form-path';
import { BotCheckProgress, useBotCheck } from './use-bot-check';
import { useHydrated } from './use-hydrated';
import { useSingleFlight } from './use-single-flight';

export type PhoneValues = { country: string; phone: string };

// Passkeys are no part of the first load: the button (and the WebAuthn library after it) comes
// once the page runs, and only where the browser has WebAuthn and the server offers passkeys.
const PasskeySignIn = dynamic(() => import('./passkey-sign-in').then((module) => module.PasskeySignIn), { ssr: false });

type Props = {
  countries: CountryOption[];
  defaultValues: PhoneValues;
  /** What the last plain form post of this step was refused with (before JavaScript ran, or without it). */
  initialError: ClientError | null;
  /** Already checked on the server to be a same-origin path, or null. */
  next: string | null;
  /** Move focus to the phone field on mount (when coming back via "Change number"). */
  focusPhone?: boolean;
  onSent: (response: CodeSentResponse, values: PhoneValues) => void;
  /** The person has started on the form (a field or the button has focus). */
  onFocus?: () => void;
  /** Offer passkeys (the `session` strategy): the button and the phone field's autofill. */
  passkeys?: boolean;
};

type Format = (value: string, country: string) => string;

// libphonenumber's formatter and metadata are about 30 KB gzip: load them after the page is
// interactive instead of in the first bundle. Until they arrive the number is left as typed.
let format: Format | null = null;
let loading: Promise<void> | null = null;

function loadFormatter(): Promise<void> {
  loading ??= import('libphonenumber-js/min').then(
    ({ AsYouType }) => {
      format = (value, country) => (value.trim().startsWith('+') ? new AsYouType() : new AsYouType(country as CountryCode)).input(value);
    },
    () => {
      loading = null; // offline: try again on the next keystroke
    },
  );
  return loading;
}

/** Formats like the phone keypad would: "07400123456" -> "07400 123456" for GB. */
function formatAsTyped(value: string, country: string): string {
  if (!format) {
    void loadFormatter();
    return value;
  }
  return format(value, country);
}

/** Fetches the formatter (once), then formats what was typed before it arrived, unless the caret is mid-number. */
async function formatWhenReady(phone: RefObject<HTMLInputElement | null>, country: RefObject<HTMLSelectElement | null>) {
  await loadFormatter();
  const input = phone.current;
  if (!input?.value || !country.current) return;
  if (document.activeElement === input && input.selectionStart !== input.value.length) return;
  input.value = formatAsTyped(input.value, country.current.value);
}

export function PhoneForm({ countries, defaultValues, initialError, next, focusPhone = false, onSent, onFocus, passkeys = false }: Props) {
  const id = useId();
  const t = useTranslations();
  const [error, setError] = useState<ClientError | null>(initialError);
  // "Enter your phone number.": checked here, before anything is sent.
  const [required, setRequired] = useState<string | null>(null);
  const flight = useSingleFlight();
  const botCheck = useBotCheck();
  // Uncontrolled fields read at submit: the server-rendered values stay, and so does a number
  // typed or a country picked before hydration. No form library: the first load stays small.
  const countryRef = useRef<HTMLSelectElement>(null);
  const phoneRef = useRef<HTMLInputElement>(null);
  const phoneId = `${id}-phone`;

  useEffect(() => {
    if (focusPhone) phoneRef.current?.focus();
    // The formatter is fetched when the person starts on the form (below), not with the page: only
    // a number typed before hydration needs it now.
    if (phoneRef.current?.value) void formatWhenReady(phoneRef, countryRef);
  }, [focusPhone]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const country = countryRef.current?.value ?? defaultValues.country;
    const phone = (phoneRef.current?.value ?? '').trim();
    if (!/\d/.test(phone)) {
      setRequired(t('phone.required'));
      phoneRef.current?.focus();
      return;
    }
    if (!flight.start()) return; // a double tap
    setError(null);
    const result = await botCheck.post<CodeSentResponse>('/api/auth/start', { phone, country });
    flight.finish();
    if (result.ok) {
      onSent(result.data, { country, phone });
      return;
    }
    setError(result.error);
    (result.error.code === 'country_not_allowed' ? countryRef : phoneRef).current?.focus();
  };

  const busy = flight.busy;
  const scripted = useHydrated();
  const message = error ? errorText(error, t, { scripted }) : required;
  // Only errors about the number itself mark the field invalid, not outages.
  const phoneInvalid = Boolean(required) || error?.code === 'invalid_phone';
  const headingId = `${id}-heading`;
  const alertId = `${id}-alert`;
  const hintId = `${id}-hint`;

  return (
    // Until React has hydrated (or without JavaScript) the form posts itself, and the page that
    // answers shows the next step: a tap on a slow phone is never lost.
    <form
      method="post"
      action={FORM_PATH}
      aria-labelledby={headingId}
      aria-busy={busy}
      noValidate
      onSubmit={onSubmit}
      onFocus={() => {
        void formatWhenReady(phoneRef, countryRef);
        onFocus?.();
      }}
    >
      <input type="hidden" name="intent" value="start" />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <h1 id={headingId}>{t('phone.heading')}</h1>
      <p id={hintId}>{t('phone.hint')}</p>

      <div className="field">
        <label htmlFor={`${id}-country`}>{t('phone.country')}</label>
        <select
          ref={countryRef}
          id={`${id}-country`}
          name="country"
          defaultValue={defaultValues.country}
          onChange={() => {
            // The same digits may group differently in the new country.
            const input = phoneRef.current;
            if (input?.value && countryRef.current) input.value = formatAsTyped(input.value, countryRef.current.value);
          }}
        >
          {countries.map((country) => (
            <option key={country.code} value={country.code}>
              {country.label}
            </option>
          ))}
        </select>
      </div>

      <div className="field">
        <label htmlFor={phoneId}>{t('phone.phone')}</label>
        <input
          id={phoneId}
          type="tel"
          autoComplete={passkeys ? 'tel webauthn' : 'tel'}
          inputMode="tel"
          spellCheck={false}
          maxLength={32}
          defaultValue={defaultValues.phone}
          aria-invalid={phoneInvalid || undefined}
          aria-describedby={message ? `${alertId} ${hintId}` : hintId}
          ref={phoneRef}
          name="phone"
          onChange={(event) => {
            const input = event.currentTarget;
            const inputType = (event.nativeEvent as InputEvent).inputType ?? '';
            // Reformat only when typing or pasting at the end: reformatting mid-edit moves the caret,
            // and reformatting after a delete puts back the bracket or space just removed.
            if (!inputType.startsWith('delete') && input.selectionStart === input.value.length) {
              const formatted = formatAsTyped(input.value, countryRef.current?.value ?? defaultValues.country);
              if (formatted !== input.value) input.value = formatted;
            }
            if (error) setError(null);
            if (required && /\d/.test(input.value)) setRequired(null);
          }}
        />
      </div>

      <BotCheckProgress progress={botCheck.progress} />

      <p id={alertId} role="alert" className="form-error">
        {message}
      </p>

      <button type="submit" disabled={busy}>
        {t('phone.send')}
      </button>
      {passkeys ? <PasskeySignIn next={next} onError={setError} /> : null}
    </form>
  );
}

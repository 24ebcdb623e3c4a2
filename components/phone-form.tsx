'use client';

import { useEffect, useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslations } from 'next-intl';
import type { CountryCode } from 'libphonenumber-js/min';

import type { ClientError } from '@/lib/api-client';
import type { CodeSentResponse } from '@/lib/api-contract';
import type { CountryOption } from '@/lib/country-option';
import { errorText } from '@/lib/error-text';
import { BotCheckProgress, useBotCheck } from './use-bot-check';
import { useHydrated } from './use-hydrated';
import { useSingleFlight } from './use-single-flight';

export type PhoneValues = { country: string; phone: string };

type Props = {
  countries: CountryOption[];
  defaultValues: PhoneValues;
  /** Move focus to the phone field on mount (when coming back via "Change number"). */
  focusPhone?: boolean;
  onSent: (response: CodeSentResponse, values: PhoneValues) => void;
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

export function PhoneForm({ countries, defaultValues, focusPhone = false, onSent }: Props) {
  const id = useId();
  const t = useTranslations();
  const [error, setError] = useState<ClientError | null>(null);
  const flight = useSingleFlight();
  const botCheck = useBotCheck();
  // No useForm defaultValues: the server-rendered fields carry them (defaultValue below), and
  // without them react-hook-form adopts what is in the DOM when it registers a field, so a
  // number typed or a country picked before hydration is kept, not reset.
  const { register, handleSubmit, getValues, setValue, setFocus, formState } = useForm<PhoneValues>();
  const phoneId = `${id}-phone`;
  // Until React has hydrated, a click would submit the form natively: a GET that puts the phone
  // number in the URL (history, logs). The button stays disabled until then, which also stops
  // Enter (no implicit submission with a disabled default button).
  const hydrated = useHydrated();

  useEffect(() => {
    if (focusPhone) setFocus('phone');
    let mounted = true;
    void loadFormatter().then(() => {
      // Format what was typed before the formatter arrived, unless the caret is mid-number.
      const input = document.getElementById(phoneId);
      if (!mounted || !(input instanceof HTMLInputElement) || !input.value) return;
      if (document.activeElement === input && input.selectionStart !== input.value.length) return;
      setValue('phone', formatAsTyped(input.value, getValues('country')));
    });
    return () => {
      mounted = false;
    };
  }, [focusPhone, setFocus, setValue, getValues, phoneId]);

  const countryField = register('country', {
    onChange: () => {
      // The same digits may group differently in the new country.
      const phone = getValues('phone');
      if (phone) setValue('phone', formatAsTyped(phone, getValues('country')));
    },
  });
  const phoneField = register('phone', {
    validate: (value) => /\d/.test(value) || t('phone.required'),
  });

  const onSubmit = async (values: PhoneValues) => {
    if (!flight.start()) return; // a double tap
    setError(null);
    const phone = values.phone.trim();
    const result = await botCheck.post<CodeSentResponse>('/api/auth/start', {
      phone,
      country: values.country,
    });
    flight.finish();
    if (result.ok) {
      onSent(result.data, { country: values.country, phone });
      return;
    }
    setError(result.error);
    setFocus(result.error.code === 'country_not_allowed' ? 'country' : 'phone');
  };

  const busy = flight.busy;
  const message = error ? errorText(error, t) : (formState.errors.phone?.message ?? null);
  // Only errors about the number itself mark the field invalid, not outages.
  const phoneInvalid = Boolean(formState.errors.phone) || error?.code === 'invalid_phone';
  const headingId = `${id}-heading`;
  const alertId = `${id}-alert`;
  const hintId = `${id}-hint`;

  return (
    <form aria-labelledby={headingId} aria-busy={busy} noValidate onSubmit={(event) => handleSubmit(onSubmit)(event)}>
      <h1 id={headingId}>{t('phone.heading')}</h1>
      <p id={hintId}>{t('phone.hint')}</p>

      <div className="field">
        <label htmlFor={`${id}-country`}>{t('phone.country')}</label>
        <select id={`${id}-country`} defaultValue={defaultValues.country} {...countryField}>
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
          autoComplete="tel"
          inputMode="tel"
          spellCheck={false}
          maxLength={32}
          defaultValue={defaultValues.phone}
          aria-invalid={phoneInvalid || undefined}
          aria-describedby={message ? `${alertId} ${hintId}` : hintId}
          {...phoneField}
          onChange={(event) => {
            const input = event.currentTarget;
            const inputType = (event.nativeEvent as InputEvent).inputType ?? '';
            // Reformat only when typing or pasting at the end: reformatting mid-edit moves the caret,
            // and reformatting after a delete puts back the bracket or space just removed.
            if (!inputType.startsWith('delete') && input.selectionStart === input.value.length) {
              const formatted = formatAsTyped(input.value, getValues('country'));
              if (formatted !== input.value) input.value = formatted;
            }
            if (error) setError(null);
            return phoneField.onChange(event);
          }}
        />
      </div>

      <BotCheckProgress progress={botCheck.progress} />

      <p id={alertId} role="alert" className="form-error">
        {message}
      </p>

      <button type="submit" disabled={busy || !hydrated}>
        {t('phone.send')}
      </button>
    </form>
  );
}

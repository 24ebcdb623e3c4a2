'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useState } from 'react';
import { useForm } from 'react-hook-form';

import { postJson, type ClientError } from '@/lib/api-client';
import type { FirstNameSavedResponse } from '@/lib/api-contract';
import { errorText } from '@/lib/error-text';
import { HOME_PATH } from '@/lib/paths';
import { safeNextPath } from '@/lib/safe-next-path';
import { useHydrated } from './use-hydrated';
import { useSingleFlight } from './use-single-flight';

type Props = {
  /** Where to go once the name is saved (a same-origin path), else where the server says. */
  next: string | null;
};

/** The first-name step after sign-up: one required field, then on to the account. */
export function FirstNameForm({ next }: Props) {
  const id = useId();
  const t = useTranslations();
  const [error, setError] = useState<ClientError | null>(null);
  const flight = useSingleFlight();
  const { register, handleSubmit, setFocus, formState } = useForm<{ firstName: string }>();
  // Until hydration a click would submit natively (a GET with the name in the URL).
  const hydrated = useHydrated();

  useEffect(() => {
    setFocus('firstName');
  }, [setFocus]);

  const field = register('firstName', {
    validate: (value) => value.trim().length > 0 || t('welcome.required'),
  });

  const onSubmit = async ({ firstName }: { firstName: string }) => {
    if (!flight.start()) return; // a double tap
    setError(null);
    const result = await postJson<FirstNameSavedResponse>('/api/auth/first-name', { firstName });
    if (result.ok) {
      window.location.assign(safeNextPath(next) ?? safeNextPath(result.data.redirectTo) ?? HOME_PATH);
      return; // busy until the next page has loaded
    }
    flight.finish();
    if (result.error.code === 'unauthorized') {
      window.location.reload(); // signed out meanwhile: the page sends them to sign in again
      return;
    }
    setError(result.error);
    setFocus('firstName', { shouldSelect: true });
  };

  const message = error ? errorText(error, t) : (formState.errors.firstName?.message ?? null);
  const headingId = `${id}-heading`;
  const hintId = `${id}-hint`;
  const alertId = `${id}-alert`;

  return (
    <form aria-labelledby={headingId} aria-busy={flight.busy} noValidate onSubmit={(event) => handleSubmit(onSubmit)(event)}>
      <h1 id={headingId}>{t('welcome.heading')}</h1>
      <p id={hintId}>{t('welcome.hint')}</p>
      <div className="field">
        <label htmlFor={`${id}-first-name`}>{t('welcome.firstName')}</label>
        <input
          id={`${id}-first-name`}
          type="text"
          autoComplete="given-name"
          required
          maxLength={50}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${alertId} ${hintId}` : hintId}
          {...field}
          onChange={(event) => {
            if (error) setError(null);
            return field.onChange(event);
          }}
        />
      </div>
      <p id={alertId} role="alert" className="form-error">
        {message}
      </p>
      <button type="submit" disabled={flight.busy || !hydrated}>
        {t('welcome.continue')}
      </button>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useState, type MouseEvent } from 'react';

import { postJson } from '@/lib/api-client';
import { errorText } from '@/lib/error-text';
import { FORM_PATH } from './form-path';
import { useSingleFlight } from './use-single-flight';

type Props = {
  path: string;
  /** The same step as a plain form post (FORM_PATH), before JavaScript runs or without it. */
  intent: string;
  label: string;
  then: string;
};

/**
 * A button that posts `{}` to one of our API routes once at a time, shows the error sentence in
 * an alert, and on success loads `then` in full (a full load drops the client router's cached
 * pages, so Back cannot show a signed-in page again). Until React has hydrated, and without
 * JavaScript, it posts its form instead, and the server answers with the page to show.
 */
export function PostButton({ path, intent, label, then }: Props) {
  const t = useTranslations();
  const flight = useSingleFlight();
  const [error, setError] = useState<string | null>(null);
  const post = async (event: MouseEvent<HTMLButtonElement>) => {
    event.preventDefault();
    if (!flight.start()) return; // a double tap
    setError(null);
    const result = await postJson(path, {});
    if (result.ok) {
      window.location.assign(then);
      return; // busy until the next page has loaded
    }
    flight.finish();
    setError(errorText(result.error, t));
  };

  return (
    <form method="post" action={FORM_PATH} className="post-button">
      <button type="submit" name="intent" value={intent} className="secondary" disabled={flight.busy} onClick={post}>
        {label}
      </button>
      <p role="alert" className="form-error">
        {error}
      </p>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';

import { postJson } from '@/lib/api-client';
import { errorText } from '@/lib/error-text';
import { useHydrated } from './use-hydrated';
import { useSingleFlight } from './use-single-flight';

/**
 * A button that posts `{}` to one of our API routes once at a time, shows the error sentence in
 * an alert, and on success loads `then` in full (a full load drops the client router's cached
 * pages, so Back cannot show a signed-in page again).
 */
export function PostButton({ path, label, then }: { path: string; label: string; then: string }) {
  const t = useTranslations();
  const flight = useSingleFlight();
  const [error, setError] = useState<string | null>(null);
  // Before hydration the button has no handler yet: a tap would be lost.
  const hydrated = useHydrated();

  const post = async () => {
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
    <div className="post-button">
      <button type="button" className="secondary" disabled={flight.busy || !hydrated} onClick={post}>
        {label}
      </button>
      <p role="alert" className="form-error">
        {error}
      </p>
    </div>
  );
}

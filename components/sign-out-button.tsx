'use client';

import { useRef, useState } from 'react';

import type { SignedOutResponse } from '@/lib/api-contract';
import { postJson } from '@/lib/phone-client';
import { useHydrated } from './use-hydrated';

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  // Before hydration the button has no handler yet: a tap would be lost.
  const hydrated = useHydrated();

  const signOut = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const result = await postJson<SignedOutResponse>('/api/auth/logout', {});
    if (result.ok) {
      // A full load, not router.push: it drops the client router's cached signed-in pages, so
      // the Back button cannot show the account page again.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign('/login');
      return;
    }
    inFlight.current = false;
    setBusy(false);
    setError(result.error.message);
  };

  return (
    <div className="sign-out">
      <button type="button" className="secondary" disabled={busy || !hydrated} onClick={signOut}>
        Sign out
      </button>
      <p role="alert" className="form-error">
        {error}
      </p>
    </div>
  );
}

'use client';

import { useEffect } from 'react';

// Anything loadAccount() did not expect (it maps known outages to "unavailable" itself).
export default function AccountError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main>
      <h1>Your account</h1>
      <p role="status">Something went wrong while loading your account. Please try again.</p>
      <button type="button" onClick={() => retry()}>
        Try again
      </button>
    </main>
  );
}

'use client';

import { useEffect, useState } from 'react';

import { secondsUntil } from '@/lib/phone-client';

/** Whole seconds until `deadline` (ms since epoch), re-rendering twice a second while above 0. */
export function useSecondsLeft(deadline: number): number {
  const [now, setNow] = useState(() => Date.now());
  const left = secondsUntil(deadline, now);
  const counting = left > 0;
  useEffect(() => {
    if (!counting) return;
    const id = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(id);
  }, [counting]);
  return left;
}

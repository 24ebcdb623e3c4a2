'use client';

import { useCallback, useEffect, useState } from 'react';

import { secondsUntil } from '@/lib/phone-client';

/**
 * Whole seconds until a deadline, re-rendering while above 0. `restart(seconds)` starts a new
 * wait; it records "now" with the deadline so the first frame shows exactly `seconds`.
 */
export function useCountdown(initialDeadline: number): [secondsLeft: number, restart: (seconds: number) => void] {
  const [clock, setClock] = useState(() => ({ deadline: initialDeadline, now: Date.now() }));
  const left = secondsUntil(clock.deadline, clock.now);
  const counting = left > 0;

  useEffect(() => {
    if (!counting) return;
    const id = window.setInterval(() => setClock((c) => ({ ...c, now: Date.now() })), 250);
    return () => window.clearInterval(id);
  }, [counting]);

  const restart = useCallback((seconds: number) => {
    const now = Date.now();
    setClock({ deadline: now + Math.max(0, seconds) * 1000, now });
  }, []);

  return [left, restart];
}

'use client';

import { useCallback, useEffect, useState } from 'react';

import { secondsUntil } from '@/lib/wait-time';

/**
 * Whole seconds until a deadline, re-rendering while above 0. `restart(seconds)` starts a new
 * wait; it records "now" with the deadline so the first frame shows exactly `seconds`. `ended`
 * says that a wait ran out (not that there was none), the moment worth telling a screen reader.
 */
export function useCountdown(initialDeadline: number): [secondsLeft: number, restart: (seconds: number) => void, ended: boolean] {
  const [clock, setClock] = useState(() => {
    const now = Date.now();
    return { deadline: initialDeadline, now, since: now };
  });
  const left = secondsUntil(clock.deadline, clock.now);
  const counting = left > 0;

  useEffect(() => {
    if (!counting) return;
    const id = window.setInterval(() => setClock((c) => ({ ...c, now: Date.now() })), 250);
    return () => window.clearInterval(id);
  }, [counting]);

  const restart = useCallback((seconds: number) => {
    const now = Date.now();
    setClock({ deadline: now + Math.max(0, seconds) * 1000, now, since: now });
  }, []);

  return [left, restart, !counting && clock.deadline > clock.since];
}

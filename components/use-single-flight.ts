'use client';

import { useRef, useState } from 'react';

export type SingleFlight = {
  /** A request is under way: what the form renders (disabled buttons, aria-busy). */
  busy: boolean;
  /** Claims the form for one request; false while another is under way (a double tap), and the caller stops. */
  start: () => boolean;
  /**
   * Frees the form for the next request. Not called after a success that loads another page:
   * the form stays busy until the page goes, so nothing is sent twice meanwhile.
   */
  finish: () => void;
  /** Whether a request is under way this instant, before React has re-rendered. */
  isRunning: () => boolean;
};

/**
 * One request at a time per form. The guard is a ref, not just state: two taps in the same frame
 * both see the old state, and both would send.
 */
export function useSingleFlight(): SingleFlight {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);

  const hold = (value: boolean) => {
    running.current = value;
    setBusy(value);
  };

  const start = () => {
    if (running.current) return false;
    hold(true);
    return true;
  };

  return { busy, start, finish: () => hold(false), isRunning: () => running.current };
}

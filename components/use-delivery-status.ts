'use client';

import { useEffect, useState } from 'react';

import type { DeliveryResponse } from '@/lib/api-contract';
import { getJson } from '@/lib/api-client';

const FIRST_POLL_MS = 1_000;
const BACKOFF = 1.5;
const MAX_POLL_MS = 8_000;
/** Nothing more will change: stop asking. */
const FINAL = new Set<DeliveryResponse['delivery']>(['delivered', 'failed', 'unknown']);
/** Answers worth asking again after: the network or the server had a moment. */
const PASSING = new Set(['network_error', 'upstream_unavailable', 'rate_limited']);

/**
 * How the latest delivery of the code is doing. Asks the server politely (after 1 s, then 1.5
 * times longer each time, at most every 8 s) until the answer is final, the code is gone, or it
 * dies at `expiresAt`. Each `round` (a resend) is a new delivery and starts again. While `paused`
 * (a code being checked) it does not ask: once the code is used there is no delivery to ask about.
 */
export function useDeliveryStatus(round: number, expiresAt: number, paused = false): DeliveryResponse | null {
  const [latest, setLatest] = useState<{ round: number; status: DeliveryResponse } | null>(null);

  useEffect(() => {
    if (paused) return;
    let stopped = false;
    let wait = FIRST_POLL_MS;
    let timer: number | undefined;
    const poll = async () => {
      const result = await getJson<DeliveryResponse>('/api/auth/delivery');
      if (stopped) return;
      if (result.ok) {
        setLatest({ round, status: result.data });
        if (FINAL.has(result.data.delivery)) return;
      } else if (!PASSING.has(result.error.code)) {
        return; // no code is pending any more
      }
      wait = Math.min(MAX_POLL_MS, wait * BACKOFF);
      if (Date.now() + wait < expiresAt) timer = window.setTimeout(poll, wait);
    };
    timer = window.setTimeout(poll, wait);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [round, expiresAt, paused]);

  // An answer about an earlier delivery says nothing about this one.
  return latest?.round === round ? latest.status : null;
}

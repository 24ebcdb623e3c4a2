import { setTimeout as timeout } from 'node:timers/promises';

import type { PacedCall, Pacer } from './ports';

const SAMPLES = 64;

/**
 * Keeps, per kind of call, the duration of the latest real call to each of the last 64 numbers,
 * and imitates one of them, drawn at random, so the no-upstream paths follow the same
 * distribution. One sample per number means nobody can steer the imitation with traffic to their
 * own number: a burst against one number moves one sample of 64. Before any real call has been
 * seen it imitates `coldStartMs`. Durations use the monotonic high-resolution clock.
 */
export function createPacer({
  coldStartMs = 250,
  random = Math.random,
  now = () => performance.now(),
  sleep = createCalibratedSleep(),
}: { coldStartMs?: number; random?: () => number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {}): Pacer {
  const samples: Record<PacedCall, Map<string, number>> = { start: new Map(), resend: new Map(), verify: new Map() };
  const pick = (kind: PacedCall) => {
    const list = [...samples[kind].values()];
    return list.length === 0 ? coldStartMs : list[Math.floor(random() * list.length)]!;
  };
  const waitUntil = (since: number, ms: number) => sleep(ms - (now() - since));
  return {
    mark: now,
    async measure(kind, phone, work, keep = () => true) {
      const started = now();
      const result = await work();
      if (keep(result)) {
        const byPhone = samples[kind];
        byPhone.delete(phone); // re-inserted as the newest
        byPhone.set(phone, now() - started);
        if (byPhone.size > SAMPLES) byPhone.delete(byPhone.keys().next().value!);
      }
      return result;
    },
    imitate: (kind, since) => waitUntil(since, pick(kind)),
    waitUntil,
  };
}

/**
 * A sleep that learns how late this process's timers fire and asks for that much less, so a
 * paced path does not end up consistently slower than the path it imitates.
 */
export function createCalibratedSleep({ now = () => performance.now(), wait = (ms: number) => timeout(ms) } = {}) {
  let lateness = 1;
  return async (ms: number) => {
    if (!(ms > 0)) return;
    const target = now() + ms;
    await wait(Math.max(0, ms - lateness));
    const late = now() - target;
    lateness = Math.min(10, Math.max(0, lateness + 0.2 * late));
  };
}

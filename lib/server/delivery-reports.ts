import 'server-only';

import type { Env } from './env';
import type { LimitStore } from './limit-store';
import type { DeliveryReports, DeliveryState } from './sign-in/ports';

/** A final state outranks every other, so a late report never takes a delivered text back. */
const RANK: Record<DeliveryState['state'], number> = { sending: 0, sent: 1, delivered: 2, failed: 2 };

/** How long a real delivery took to be sent and to be delivered, in ms from its record's opening. */
type Course = { sentMs: number; deliveredMs: number };

type Entry = {
  state: DeliveryState;
  openedAt: number;
  /** Set when a real delivery reached `sent`, to learn its course. */
  sentMs?: number;
  /** For an imitated delivery: the course it follows. */
  imitates?: Course;
};

const SAMPLES = 64;
/** Before any real delivery was reported: about what an SMS to a phone takes. */
const COLD_START: Course = { sentMs: 1_000, deliveredMs: 4_000 };

/**
 * Delivery records in the limit store (Redis when REDIS_URL is set, so every instance sees what
 * the instance that received Plivo's report saw), for the code's lifetime. An imitated delivery
 * follows the course of one of the latest 64 real ones this instance saw reported, drawn at
 * random, so the states of a number nobody owns come and go as a member's do.
 */
export function createDeliveryReports(
  env: Env,
  store: LimitStore,
  { now = () => Date.now(), random = Math.random }: { now?: () => number; random?: () => number } = {},
): DeliveryReports {
  const lifetimeMs = env.OTP_EXPIRY_SECONDS * 1000;
  const keyOf = (delivery: string) => `{sms-sign-in}:delivery:${delivery}`;
  const courses: Course[] = [];
  const write = (record: Entry) => `${RANK[record.state.state]}|${JSON.stringify(record)}`;
  const read = async (delivery: string) => {
    const value = await store.get(keyOf(delivery));
    return value === undefined ? undefined : (JSON.parse(value.slice(value.indexOf('|') + 1)) as Entry);
  };
  const learn = (course: Course) => {
    courses.push(course);
    if (courses.length > SAMPLES) courses.shift();
  };

  return {
    async expect(delivery, how) {
      const imitates = how === 'imitated' ? (courses[Math.floor(random() * courses.length)] ?? COLD_START) : undefined;
      await store.set(keyOf(delivery), write({ state: { state: 'sending' }, openedAt: now(), imitates }), lifetimeMs);
    },

    async report(delivery, state) {
      const before = await read(delivery);
      if (!before || before.imitates) return 'unknown';
      const tookMs = now() - before.openedAt;
      const sentMs = before.sentMs ?? (state.state === 'sending' ? undefined : tookMs);
      const outcome = await store.raise(keyOf(delivery), write({ ...before, state, sentMs }));
      if (outcome === 'missing') return 'unknown';
      if (outcome === 'kept') return 'kept';
      if (state.state === 'delivered') learn({ sentMs: sentMs ?? tookMs, deliveredMs: tookMs });
      return 'recorded';
    },

    async current(delivery) {
      const record = await read(delivery);
      if (!record?.imitates) return record?.state;
      const elapsed = now() - record.openedAt;
      if (elapsed >= record.imitates.deliveredMs) return { state: 'delivered' };
      return { state: elapsed >= record.imitates.sentMs ? 'sent' : 'sending' };
    },

    firstSighting: (nonce) => store.claim(`{sms-sign-in}:report-nonce:${nonce}`, lifetimeMs),
  };
}

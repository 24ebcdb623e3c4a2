import 'server-only';

import type { Channel } from '@/lib/api-contract';
import type { Env } from './env';
import type { LimitStore } from './limit-store';
import type { DeliveryReports, DeliveryState } from './sign-in/ports';

/** A final state outranks every other, so a late report never takes a delivered text back. */
const RANK: Record<DeliveryState['state'], number> = { sending: 0, sent: 1, delivered: 2, failed: 2 };

type Final = { state: 'delivered' } | Extract<DeliveryState, { state: 'failed' }>;

/**
 * How one delivery went, in ms from its record's opening: when it was sent, and how and when it
 * ended. No end: it never did while its code lived (a phone switched off, a call nobody answered).
 */
export type Course = { sentMs?: number; endMs?: number; end?: Final };

type Entry = {
  state: DeliveryState;
  openedAt: number;
  channel: Channel;
  country?: string;
  /** A real delivery's course as reported so far; an imitated one's, the whole course it follows. */
  course: Course;
  imitated?: true;
};

/** A real delivery waiting to be learned, once its course is known. */
type Pending = { delivery: string; openedAt: number };
type Sample = { country?: string; course: Course };

/** Fewer settled deliveries than this (of the number's country, else of the channel): the prior. */
const MIN_SAMPLES = 5;
const SAMPLES = 128;
const PENDING = 256;
/** Learned courses outlive a quiet spell: this site's own deliveries beat the prior. */
const SAMPLES_KEEP_MS = 24 * 3_600_000;

/**
 * Before enough real deliveries of a channel were learned: how such deliveries typically go, as
 * a distribution (docs/api.md, "Delivery status"), outcomes that never end or fail included, so
 * that a cold deployment does not follow one schedule that a member's real deliveries never keep.
 */
const PRIOR: Record<Channel, { sentMs: Range; outcomes: ReadonlyArray<{ share: number; end?: Final; afterSentMs?: Range }> }> = {
  sms: {
    sentMs: [200, 3_000],
    outcomes: [
      { share: 0.92, end: { state: 'delivered' }, afterSentMs: [1_000, 15_000] },
      { share: 0.03, end: { state: 'failed', reason: 'undelivered' }, afterSentMs: [5_000, 60_000] },
      { share: 0.05 },
    ],
  },
  voice: {
    sentMs: [1_000, 4_000],
    outcomes: [{ share: 0.85, end: { state: 'delivered' }, afterSentMs: [15_000, 45_000] }, { share: 0.15 }],
  },
};
type Range = readonly [low: number, high: number];

/**
 * Delivery records in the limit store (Redis when REDIS_URL is set, so every instance sees what
 * the instance that received Plivo's report saw), and the courses of recent real deliveries per
 * channel that imitated ones copy: a number nobody owns gets a course drawn from members' real
 * deliveries of the same channel (of the same country when there are enough), so its states, their
 * timing and its outcome, a failure or none at all included, come as a member's do.
 *
 * Every real delivery that Plivo took is learned once, whatever its course: when it ends, or when
 * its code's lifetime is over without an end (records outlive their code for that). Learning only
 * the ones that ended would make imitations end more often than real deliveries do.
 */
export function createDeliveryReports(
  env: Env,
  store: LimitStore,
  { now = () => Date.now(), random = Math.random }: { now?: () => number; random?: () => number } = {},
): DeliveryReports {
  const lifetimeMs = env.OTP_EXPIRY_SECONDS * 1000;
  // A record can be learned for a lifetime after its code's.
  const keepMs = 2 * lifetimeMs;
  const recordKey = (delivery: string) => `{sms-sign-in}:delivery:${delivery}`;
  const pendingKey = (channel: Channel) => `{sms-sign-in}:delivery-samples:${channel}:pending`;
  const samplesKey = (channel: Channel) => `{sms-sign-in}:delivery-samples:${channel}:learned`;
  const write = (record: Entry) => `${RANK[record.state.state]}|${JSON.stringify(record)}`;
  const read = async (delivery: string) => {
    const value = await store.get(recordKey(delivery));
    return value === undefined ? undefined : (JSON.parse(value.slice(value.indexOf('|') + 1)) as Entry);
  };
  /** A record while its code lives. */
  const open = async (delivery: string) => {
    const record = await read(delivery);
    return record && now() - record.openedAt < lifetimeMs ? record : undefined;
  };
  const readList = async <T>(key: string): Promise<T[]> => JSON.parse((await store.get(key)) ?? '[]') as T[];
  const between = ([low, high]: Range) => Math.round(low + (high - low) * random());

  function fromPrior(channel: Channel): Course {
    const prior = PRIOR[channel];
    const sentMs = between(prior.sentMs);
    let roll = random();
    const outcome = prior.outcomes.find(({ share }) => (roll -= share) < 0) ?? prior.outcomes.at(-1)!;
    if (!outcome.end || !outcome.afterSentMs) return { sentMs };
    return { sentMs, endMs: sentMs + between(outcome.afterSentMs), end: outcome.end };
  }

  async function draw(channel: Channel, country: string | undefined): Promise<Course> {
    const samples = await readList<Sample>(samplesKey(channel));
    const local = samples.filter((sample) => sample.country === country);
    const pool = local.length >= MIN_SAMPLES ? local : samples;
    if (pool.length < MIN_SAMPLES) return fromPrior(channel);
    return pool[Math.floor(random() * pool.length)]!.course;
  }

  /** Takes the real deliveries whose course is known off the pending list into the samples. */
  async function learn(channel: Channel, settled: { delivery: string; sample: Sample } | undefined) {
    const pending = await readList<Pending>(pendingKey(channel));
    const learned: Sample[] = [];
    const waiting: Pending[] = [];
    for (const entry of pending) {
      if (entry.delivery === settled?.delivery) learned.push(settled.sample);
      else if (now() - entry.openedAt < lifetimeMs) waiting.push(entry);
      else {
        // Its code is dead: whatever it reached by now is its whole course.
        const record = await read(entry.delivery);
        if (record) learned.push({ country: record.country, course: record.course });
      }
    }
    if (waiting.length === pending.length) return;
    await store.set(pendingKey(channel), JSON.stringify(waiting), keepMs);
    if (learned.length) {
      const samples = [...(await readList<Sample>(samplesKey(channel))), ...learned].slice(-SAMPLES);
      await store.set(samplesKey(channel), JSON.stringify(samples), SAMPLES_KEEP_MS);
    }
  }

  /** Puts a real delivery on its channel's pending list, where it waits until it can be learned. */
  async function admit(channel: Channel, delivery: string, openedAt: number) {
    const pending = await readList<Pending>(pendingKey(channel));
    // Full: left out whatever its course will be, so what is learned stays a fair sample.
    if (pending.length >= PENDING) return;
    await store.set(pendingKey(channel), JSON.stringify([...pending, { delivery, openedAt }]), keepMs);
  }

  return {
    async expect(delivery, how, { channel, country }) {
      // Drawn for every delivery, a member's too, so that both make the same trips to the store.
      const course = await draw(channel, country);
      const record: Entry = { state: { state: 'sending' }, openedAt: now(), channel, country, course: {} };
      await store.set(recordKey(delivery), write(how === 'imitated' ? { ...record, course, imitated: true } : record), keepMs);
    },

    async report(delivery, state) {
      const before = await open(delivery);
      if (!before || before.imitated) return 'unknown';
      const tookMs = now() - before.openedAt;
      const course: Course = { ...before.course };
      if (state.state !== 'sending') course.sentMs ??= tookMs;
      if (state.state === 'delivered' || state.state === 'failed') Object.assign(course, { endMs: tookMs, end: state });
      const outcome = await store.raise(recordKey(delivery), write({ ...before, state, course }));
      if (outcome === 'missing') return 'unknown';
      if (outcome === 'kept') return 'kept';
      // Its first report beyond sending: Plivo took it (a refused send never becomes a sample).
      if (before.state.state === 'sending') await admit(before.channel, delivery, before.openedAt);
      await learn(before.channel, course.end ? { delivery, sample: { country: before.country, course } } : undefined);
      return 'recorded';
    },

    async current(delivery) {
      const record = await open(delivery);
      if (!record?.imitated) return record?.state;
      return stateAt(record.course, now() - record.openedAt);
    },

    firstSighting: (nonce) => store.claim(`{sms-sign-in}:report-nonce:${nonce}`, lifetimeMs),
  };
}

function stateAt(course: Course, elapsedMs: number): DeliveryState {
  if (course.end && elapsedMs >= course.endMs!) return course.end;
  return { state: course.sentMs !== undefined && elapsedMs >= course.sentMs ? 'sent' : 'sending' };
}

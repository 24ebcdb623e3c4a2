import type { Pacer } from './ports';

const SAMPLES = 64;

/**
 * Keeps the durations of the last real upstream calls and hands out one of them at random, so the
 * waits of the no-upstream paths follow the same distribution. Before any real call has been seen
 * it answers `coldStartMs`.
 */
export function createPacer({ coldStartMs = 250, random = Math.random } = {}): Pacer {
  const samples = { send: [] as number[], check: [] as number[] };
  return {
    record(kind, ms) {
      const list = samples[kind];
      list.push(ms);
      if (list.length > SAMPLES) list.shift();
    },
    delay(kind) {
      const list = samples[kind];
      if (list.length === 0) return coldStartMs;
      return list[Math.floor(random() * list.length)]!;
    },
  };
}

// Emulator time. Every expiry decision reads this clock, never Date.now() directly, so that tests
// (and /dev/clock) can move time forward without waiting ten real minutes.

export interface Clock {
  /** Current emulator time, epoch milliseconds (fractional: microseconds matter for timestamps). */
  now(): number;
  /** Moves emulator time forward; the base clock keeps ticking underneath. */
  advance(seconds: number): void;
  /** Drops every advance() so emulator time equals the base clock again. */
  reset(): void;
  /** Total seconds added by advance() since the last reset(). */
  offsetSeconds(): number;
}

/** Wall time with sub-millisecond precision, so two sessions created back to back still differ. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export function createClock(base: () => number = preciseNow): Clock {
  let offsetMs = 0;
  return {
    now: () => base() + offsetMs,
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
    reset() {
      offsetMs = 0;
    },
    offsetSeconds: () => offsetMs / 1000,
  };
}

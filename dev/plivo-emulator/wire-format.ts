// Small formatting rules that Plivo's JSON follows and that several modules share.
import { randomUUID } from 'node:crypto';

export const newUuid = (): string => randomUUID();

/**
 * RFC 3339 in UTC with microsecond precision, written the way Go's RFC3339Nano writes it (Plivo's
 * API is a Go service): trailing zeros of the fraction trimmed, no fraction at all when it is zero.
 * The fixtures show exactly this ("2023-07-20T08:02:18.97278Z"), so clients must not assume six
 * digits, and the emulator makes sure they do not.
 */
export function formatTimestamp(epochMs: number): string {
  const micros = Math.floor(epochMs * 1000);
  const wholeMs = Math.floor(micros / 1000);
  const base = new Date(wholeMs).toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
  const fraction = String(micros % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return fraction ? `${base}.${fraction}Z` : `${base}Z`;
}

/** Charges are kept as integers of 1/100000 USD and written as Plivo writes them: "0.02100". */
export const CHARGE_SCALE = 100_000;
export function formatCharge(units: number): string {
  const whole = Math.floor(units / CHARGE_SCALE);
  const fraction = String(units % CHARGE_SCALE).padStart(5, '0');
  return `${whole}.${fraction}`;
}

/** Plivo stores and returns recipients as digits only ("447400123456"). */
export function stripPlus(phone: string): string {
  return phone.startsWith('+') ? phone.slice(1) : phone;
}

import { describe, expect, it } from 'vitest';
import { formatCharge, formatTimestamp, stripPlus } from './wire-format';
import { isLoopback } from './http-io';

describe('wire format', () => {
  it("writes timestamps like Go's RFC3339Nano at microsecond precision", () => {
    const t = Date.parse('2023-07-20T08:02:18.972Z');
    expect(formatTimestamp(t + 0.78)).toBe('2023-07-20T08:02:18.97278Z');
    expect(formatTimestamp(t + 0.0001)).toBe('2023-07-20T08:02:18.972Z'); // below a microsecond
    expect(formatTimestamp(Date.parse('2023-07-20T08:02:18Z'))).toBe('2023-07-20T08:02:18Z');
  });

  it('writes charges with five decimals', () => {
    expect(formatCharge(7_100)).toBe('0.07100');
    expect(formatCharge(0)).toBe('0.00000');
    expect(formatCharge(123_456)).toBe('1.23456');
  });

  it('strips "+" for Plivo', () => {
    expect(stripPlus('+447400123456')).toBe('447400123456');
  });

  it('recognises loopback callers only', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('192.168.1.20')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';

import { compare, comparisonTable, emptySamples, type StepSamples } from './comparison';
import { cpuMsFromStat } from './cpu';
import { memberPhone } from './members';

const samples = (over: Partial<StepSamples>): StepSamples => ({ ...emptySamples(), ...over });

describe('the side-by-side comparison', () => {
  const flows = samples({ c1: [30, 20, 40], c10: [100], c10WallMs: 2000, c10Requests: 50, directusCpuMs: 1500 });
  const app = samples({ c1: [10, 12, 8], c10: [10, 20, 30], c10WallMs: 500, c10Requests: 50, directusCpuMs: 250, appCpuMs: 100 });

  it('puts the app against the flows: latency, throughput, tail and CPU per request', () => {
    const row = compare('start', flows, app, [6, 7, 8]);
    expect(row.flows.p50).toBe(30);
    expect(row.app.p50).toBe(10);
    expect(row.latencyRatio).toBeCloseTo(1 / 3);
    expect(row.flows.requestsPerSecond).toBe(25);
    expect(row.app.requestsPerSecond).toBe(100);
    expect(row.throughputRatio).toBe(4);
    expect(row.tailRatio).toBeCloseTo(29.8 / 20);
    expect(row.flows.directusCpuPerRequest).toBe(30);
    expect(row.app.directusCpuPerRequest).toBe(5);
    expect(row.app.appCpuPerRequest).toBe(2);
    expect(row.overheadP50).toBe(3);
  });

  it('says n/a where nothing was measured', () => {
    const row = compare('verify', flows, samples({ c1: [5] }), undefined);
    expect(row.overheadP50).toBeUndefined();
    const [, , line] = comparisonTable([row]);
    expect(line).toMatch(/^\| verify \| 30\.0 \/ 38\.0 \/ 39\.8 \| 5\.0 \/ 5\.0 \/ 5\.0 \|/);
    expect(line).toMatch(/\| n\/a \| 0 \/ 0 \|$/);
  });
});

describe('bench helpers', () => {
  it('reads user + system CPU time from /proc/<pid>/stat, whatever the command name holds', () => {
    const fields = ['S', ...Array.from({ length: 10 }, () => '0'), '250', '50', '7', '8'];
    expect(cpuMsFromStat(`123 (next-server (v16) x) ${fields.join(' ')}`)).toBe(3000);
  });

  it('numbers members as valid, distinct GB mobiles within the million', () => {
    expect(memberPhone(0)).toBe('+447401000000');
    expect(memberPhone(999_999)).toBe('+447401999999');
    expect(() => memberPhone(1_000_000)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';

import { compare, comparePasskey, comparisonTable, emptySamples, passkeyTable, perSignIn, type StepSamples } from './comparison';
import { cpuMsFromStat } from './cpu';
import { rotated } from './interleave';
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

describe('the passkey sign-in beside them', () => {
  const flowsVerify = samples({ c1: [40, 50, 60] });
  const sms = { start: samples({ c1: [10, 12, 14] }), verify: samples({ c1: [20, 18, 16] }) };
  const passkey = {
    start: samples({ c1: [3, 4, 5], c10: [4], c10WallMs: 1000, c10Requests: 200, directusCpuMs: 200, appCpuMs: 400 }),
    verify: samples({ c1: [9, 6, 7], c10: [8], c10WallMs: 1000, c10Requests: 100, directusCpuMs: 500, appCpuMs: 300, failed: 1 }),
  };

  it("adds up each sign-in's two requests, and refuses samples that are not paired", () => {
    expect(perSignIn([1, 2], [10, 20])).toEqual([11, 22]);
    expect(() => perSignIn([1, 2], [10])).toThrow(/unpaired/);
  });

  it("puts a whole passkey sign-in against the flows' verify and the app's SMS sign-in", () => {
    const row = comparePasskey(passkey, flowsVerify, sms);
    // Per sign-in: 12, 10, 12 ms.
    expect(row.whole.p50).toBe(12);
    expect(row.verifyRatio).toBeCloseTo(12 / 50);
    expect(row.signInRatio).toBeCloseTo(7 / 50);
    // The app's SMS sign-ins: 30, 30, 30 ms.
    expect(row.smsRatio).toBeCloseTo(12 / 30);
    // 200 options/s and 100 sign-ins/s in their blocks: 5 ms + 10 ms a sign-in.
    expect(row.whole.perSecond).toBeCloseTo(1000 / 15);
    expect(row.whole.directusCpu).toBe(1 + 5);
    expect(row.whole.appCpu).toBe(2 + 3);
  });

  it('prints one row per request and one for the whole sign-in, then the ratios', () => {
    const [, , options, signIn, whole, ratios] = passkeyTable(comparePasskey(passkey, flowsVerify, sms));
    expect(options).toMatch(/^\| options \| 4\.0 \/ 4\.8 \/ 5\.0 \| 200\.0 \|/);
    expect(signIn).toMatch(/\| 1 \|$/);
    expect(whole).toMatch(/^\| one sign-in \(both\) \| 12\.0 \/ 12\.0 \/ 12\.0 \| 66\.7 sign-ins\/s \| n\/a \| 6\.0 \| 5\.0 \| 1 \|$/);
    expect(ratios).toMatch(
      /flows' verify p50: 0\.24 \(goal: at most 0\.3\); the sign-in request alone: 0\.14; .*\(start \+ verify\): 0\.40$/,
    );
  });
});

describe('bench helpers', () => {
  it('rotates the systems so that each goes first in turn', () => {
    expect([0, 1, 2, 3].map((i) => rotated(['a', 'b', 'c'], i).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
    expect(rotated([], 3)).toEqual([]);
  });

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

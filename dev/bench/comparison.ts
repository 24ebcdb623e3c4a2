// The side-by-side table: pure arithmetic over the samples the comparison collected.
import { quantile } from './stats';

export const STEPS = ['start', 'verify'] as const;
export type Step = (typeof STEPS)[number];

/** One system's samples for one step: latencies at c=1, and the c=10 blocks' latencies, wall time and CPU. */
export type StepSamples = {
  c1: number[];
  c10: number[];
  c10WallMs: number;
  c10Requests: number;
  directusCpuMs: number;
  /** The app's own process (none for the flows). */
  appCpuMs: number;
  /** Answers that were not the expected success (the first one's text is printed below the table). */
  failed: number;
};

export const emptySamples = (): StepSamples => ({
  c1: [],
  c10: [],
  c10WallMs: 0,
  c10Requests: 0,
  directusCpuMs: 0,
  appCpuMs: 0,
  failed: 0,
});

export type StepFigures = {
  p50: number;
  p90: number;
  p99: number;
  p50c10: number;
  p99c10: number;
  requestsPerSecond: number;
  directusCpuPerRequest: number;
  appCpuPerRequest: number;
  failed: number;
};

export function figures(samples: StepSamples): StepFigures {
  const perRequest = (ms: number) => (samples.c10Requests ? ms / samples.c10Requests : Number.NaN);
  return {
    p50: quantile(samples.c1, 0.5),
    p90: quantile(samples.c1, 0.9),
    p99: quantile(samples.c1, 0.99),
    p50c10: quantile(samples.c10, 0.5),
    p99c10: quantile(samples.c10, 0.99),
    requestsPerSecond: samples.c10WallMs ? (samples.c10Requests * 1000) / samples.c10WallMs : Number.NaN,
    directusCpuPerRequest: perRequest(samples.directusCpuMs),
    appCpuPerRequest: perRequest(samples.appCpuMs),
    failed: samples.failed,
  };
}

export type Comparison = {
  step: Step;
  flows: StepFigures;
  app: StepFigures;
  /** app p50 / flows p50 at c=1 (the goal: at most 0.5). */
  latencyRatio: number;
  /** app req/s / flows req/s at c=10 (the goal: at least 3). */
  throughputRatio: number;
  /** app p99 / p50 at c=10 (the goal: at most 3). */
  tailRatio: number;
  /** app p50 minus the p50 of its upstream calls replayed from outside, when they were. */
  overheadP50: number | undefined;
};

export function compare(step: Step, flows: StepSamples, app: StepSamples, upstream: readonly number[] | undefined): Comparison {
  const f = figures(flows);
  const a = figures(app);
  return {
    step,
    flows: f,
    app: a,
    latencyRatio: a.p50 / f.p50,
    throughputRatio: a.requestsPerSecond / f.requestsPerSecond,
    tailRatio: a.p99c10 / a.p50c10,
    overheadP50: upstream?.length ? a.p50 - quantile(upstream, 0.5) : undefined,
  };
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const trio = (f: StepFigures) => `${fixed(f.p50)} / ${fixed(f.p90)} / ${fixed(f.p99)}`;

export function comparisonTable(rows: readonly Comparison[]): string[] {
  return [
    '| step | flows p50/p90/p99 c=1 (ms) | app p50/p90/p99 c=1 (ms) | ratio p50 | flows req/s c=10 | app req/s c=10 | ratio | app p50 / p99 c=10 (ms) | p99/p50 | Directus CPU ms/req flows | Directus CPU ms/req app | app CPU ms/req | app overhead p50 (ms) | failed flows / app |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows
      .map((r) =>
        [
          r.step,
          trio(r.flows),
          trio(r.app),
          fixed(r.latencyRatio, 2),
          fixed(r.flows.requestsPerSecond),
          fixed(r.app.requestsPerSecond),
          fixed(r.throughputRatio, 2),
          `${fixed(r.app.p50c10)} / ${fixed(r.app.p99c10)}`,
          fixed(r.tailRatio, 2),
          fixed(r.flows.directusCpuPerRequest),
          fixed(r.app.directusCpuPerRequest),
          fixed(r.app.appCpuPerRequest),
          r.overheadP50 === undefined ? 'n/a' : fixed(r.overheadP50),
          `${r.flows.failed} / ${r.app.failed}`,
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
  ];
}

/** Each sign-in's two requests added up (the c=1 samples of both steps are kept in step, a pair per sign-in). */
export function perSignIn(start: readonly number[], verify: readonly number[]): number[] {
  if (start.length !== verify.length) throw new Error(`unpaired samples: ${start.length} starts, ${verify.length} verifies`);
  return start.map((ms, i) => ms + verify[i]!);
}

/** A passkey sign-in (options, then the sign-in itself) against the flows' verify and the app's SMS sign-in. */
export type PasskeyComparison = {
  options: StepFigures;
  signIn: StepFigures;
  /**
   * One whole sign-in, both requests: at c=1 the sums of each sign-in's two; at c=10 sign-ins per
   * second, from the two blocks' seconds per request added up, and CPU per sign-in.
   */
  whole: { p50: number; p90: number; p99: number; perSecond: number; directusCpu: number; appCpu: number };
  /** whole p50 / the flows' verify p50 at c=1 (the goal: at most 0.3). */
  verifyRatio: number;
  /** the sign-in request's p50 alone / the flows' verify p50 at c=1. */
  signInRatio: number;
  /** whole p50 / the app's SMS sign-in p50 (start + verify) at c=1. */
  smsRatio: number;
};

export function comparePasskey(
  passkey: Record<Step, StepSamples>,
  flowsVerify: StepSamples,
  sms: Record<Step, StepSamples>,
): PasskeyComparison {
  const [options, signIn] = [figures(passkey.start), figures(passkey.verify)];
  const whole = perSignIn(passkey.start.c1, passkey.verify.c1);
  const p50 = quantile(whole, 0.5);
  const flowsP50 = quantile(flowsVerify.c1, 0.5);
  return {
    options,
    signIn,
    whole: {
      p50,
      p90: quantile(whole, 0.9),
      p99: quantile(whole, 0.99),
      perSecond: 1 / (1 / options.requestsPerSecond + 1 / signIn.requestsPerSecond),
      directusCpu: options.directusCpuPerRequest + signIn.directusCpuPerRequest,
      appCpu: options.appCpuPerRequest + signIn.appCpuPerRequest,
    },
    verifyRatio: p50 / flowsP50,
    signInRatio: signIn.p50 / flowsP50,
    smsRatio: p50 / quantile(perSignIn(sms.start.c1, sms.verify.c1), 0.5),
  };
}

export function passkeyTable(row: PasskeyComparison): string[] {
  const { options, signIn, whole } = row;
  const step = (name: string, f: StepFigures) =>
    [
      name,
      trio(f),
      fixed(f.requestsPerSecond),
      `${fixed(f.p50c10)} / ${fixed(f.p99c10)}`,
      fixed(f.directusCpuPerRequest),
      fixed(f.appCpuPerRequest),
      `${f.failed}`,
    ].join(' | ');
  return [
    '| passkey sign-in (app) | p50/p90/p99 c=1 (ms) | req/s c=10 | p50 / p99 c=10 (ms) | Directus CPU ms/req | app CPU ms/req | failed |',
    '|---|--:|--:|--:|--:|--:|--:|',
    `| ${step('options', options)} |`,
    `| ${step('sign-in', signIn)} |`,
    `| ${[
      'one sign-in (both)',
      `${fixed(whole.p50)} / ${fixed(whole.p90)} / ${fixed(whole.p99)}`,
      `${fixed(whole.perSecond)} sign-ins/s`,
      'n/a',
      fixed(whole.directusCpu),
      fixed(whole.appCpu),
      `${options.failed + signIn.failed}`,
    ].join(' | ')} |`,
    `passkey sign-in p50 (both requests) / the flows' verify p50: ${fixed(row.verifyRatio, 2)} (goal: at most 0.3); the sign-in request alone: ${fixed(row.signInRatio, 2)}; / the app's SMS sign-in p50 (start + verify): ${fixed(row.smsRatio, 2)}`,
  ];
}

// Small statistics for benchmark reports.

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function summary(values: readonly number[]) {
  return {
    n: values.length,
    p25: quantile(values, 0.25),
    p50: quantile(values, 0.5),
    p75: quantile(values, 0.75),
    p90: quantile(values, 0.9),
  };
}

/**
 * Probability that a random sample of `a` is larger than one of `b` (the Mann-Whitney U statistic
 * scaled to 0..1). 0.5 means the two cannot be told apart by ordering alone.
 */
export function probabilityGreater(a: readonly number[], b: readonly number[]): number {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x > y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

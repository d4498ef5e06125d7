// Summary statistics for benchmark samples: median, quantiles, and the ours/runit ratio.

export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('quantile of no samples');
  if (q < 0 || q > 1) throw new RangeError(`quantile must be within 0..1, got ${q}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

export interface Summary {
  count: number;
  median: number;
  p10: number;
  p90: number;
  min: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    count: samples.length,
    median: median(samples),
    p10: quantile(samples, 0.1),
    p90: quantile(samples, 0.9),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/** ours / theirs on medians; undefined when theirs is zero or missing. */
export function ratio(ours: readonly number[], theirs: readonly number[] | undefined): number | undefined {
  if (!theirs || theirs.length === 0) return undefined;
  const denominator = median(theirs);
  return denominator === 0 ? undefined : median(ours) / denominator;
}

/**
 * Fits y = floor + perService * n by least squares over (n, y) points: the memory model the
 * report uses ("a fixed floor and the cost of each added service").
 */
export function linearFit(points: ReadonlyArray<readonly [number, number]>): { floor: number; perUnit: number } {
  if (points.length < 2) throw new RangeError('a linear fit needs at least two points');
  const n = points.length;
  const sx = points.reduce((s, [x]) => s + x, 0);
  const sy = points.reduce((s, [, y]) => s + y, 0);
  const sxx = points.reduce((s, [x]) => s + x * x, 0);
  const sxy = points.reduce((s, [x, y]) => s + x * y, 0);
  const denominator = n * sxx - sx * sx;
  if (denominator === 0) throw new RangeError('a linear fit needs at least two distinct x values');
  const perUnit = (n * sxy - sx * sy) / denominator;
  return { floor: (sy - perUnit * sx) / n, perUnit };
}

// What a benchmark scenario is and returns: samples of ours and of the real runit, and a goal.

export interface Goal {
  /** Maximum acceptable ours/runit ratio of medians (lower is better for every metric here). */
  maxRatio: number;
  /** The goal as the issue states it, e.g. "no slower than runsv". */
  text: string;
}

export interface Metric {
  id: string;
  label: string;
  unit: 'ms' | 's' | 'KiB' | 'MiB' | 'lines' | 'count';
  ours: number[];
  /** Samples of the real runit; absent when the metric has no runit counterpart. */
  runit?: number[];
  /** Another reference point, e.g. `node -e 0` for sv's start-up floor. */
  baseline?: { label: string; samples: number[] };
  goal?: Goal;
  /** A short note printed under the table, e.g. how the figure was derived. */
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  /** The repository's root. */
  repo: string;
  /** Where the reference runit/daemontools binaries are (RUNIT_REF_DIR). */
  refDir: string;
  /** Our command, as installed in node_modules/.bin. */
  ours(command: string): string;
  /** The reference binary. */
  runit(command: string): string;
  /** A fresh temp dir, removed when the scenario ends. */
  tempDir(prefix: string): string;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  description: string;
  run(context: BenchContext): Promise<Metric[]>;
}

/** Runs a then b, then a, then b…, `rounds` times, so that drift on a shared machine hits both. */
export async function interleave<T>(rounds: number, a: () => Promise<T>, b: () => Promise<T>): Promise<[T[], T[]]> {
  const as: T[] = [];
  const bs: T[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return [as, bs];
}

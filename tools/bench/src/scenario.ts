// What a benchmark scenario is and returns: samples of ours and of the real runit, and a goal.
import type { Cleanup } from '@runit-ts/test-support';

/**
 * What "good enough" means for a metric (lower is better for every metric here):
 * - `ratio`: the median of ours divided by the median of runit's (or of the baseline's) is at most `max`;
 * - `value`: ours itself (its median, or its worst sample) is at most `max`, in the metric's unit.
 */
export type Goal =
  | { kind: 'ratio'; max: number; against: 'runit' | 'baseline'; text: string }
  | { kind: 'value'; max: number; of: 'median' | 'worst'; text: string };

export type Unit = 'ms' | 's' | 'KiB' | 'MiB' | 'lines' | 'count';

export interface Metric {
  id: string;
  label: string;
  unit: Unit;
  ours: number[];
  /** Samples of the real runit; absent when the metric has no runit counterpart. */
  runit?: number[];
  /** Another reference point, e.g. `node -e 0` for sv's start-up floor. */
  baseline?: { label: string; samples: number[] };
  goal?: Goal;
  /** How many runs the figure comes from, when it is derived (e.g. a fit) rather than one sample per run. */
  runs?: number;
  /** A short note printed under the table, e.g. how the figure was derived. */
  note?: string;
  /** false: table only, no bar in the chart (e.g. a study of options rather than a comparison). */
  chart?: boolean;
}

export interface ScenarioResult {
  metrics: Metric[];
  /** Markdown for the report's details section (e.g. a table of every measured point). */
  details?: string;
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
  /** Ends what the scenario started (processes by pid, FIFOs) when it ends, even after a failure. */
  cleanup: Cleanup;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  description: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}

/**
 * Runs each of `runs` in turn, `rounds` times, starting each round one side further (a b c, b c a,
 * c a b…; with two sides a b, b a), so that drift on a shared machine hits every side alike and
 * every side takes every place in the round equally often. Reversing every other round would leave
 * the middle side of three in the middle every time: in the restart benchmark that place, right
 * after another side's restart, cost 15–25 %. Returns the samples per side.
 */
export async function interleaveAll<T>(rounds: number, runs: ReadonlyArray<() => Promise<T>>): Promise<T[][]> {
  const samples: T[][] = runs.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let place = 0; place < runs.length; place++) {
      const i = (round + place) % runs.length;
      samples[i]!.push(await runs[i]!());
    }
  }
  return samples;
}

/** Runs a then b, then b then a…, `rounds` times, so that drift on a shared machine hits both. */
export async function interleave<T>(rounds: number, a: () => Promise<T>, b: () => Promise<T>): Promise<[T[], T[]]> {
  const [as, bs] = await interleaveAll(rounds, [a, b]);
  return [as!, bs!];
}

/** How many rounds to run: fewer in quick mode. */
export const rounds = (context: BenchContext, quick: number, full: number): number => (context.quick ? quick : full);

// Memory of a supervision tree (a runsvdir and everything below it but the services themselves),
// split into its layers: runsvdir, its direct children (runsv processes, or our service host), and
// what they run besides the services (loggers).
import { childPids, sleep } from '@runit-ts/test-support';
import { readMemory, sumMemory, type MemoryReading } from './proc-memory.js';
import { median } from './stats.js';

export interface TreeMemory {
  total: MemoryReading;
  /** runsvdir's direct children: one runsv per service (runit), or our service host. */
  supervisors: MemoryReading;
  /** Below the supervisors, services excluded: the loggers. */
  loggers: MemoryReading;
  processes: number;
}

/** A reading of a process that has just ended counts as nothing (the next sample will tell). */
function memoryOf(pid: number): MemoryReading {
  try {
    return readMemory(pid);
  } catch {
    return { pss: 0, private: 0, rss: 0 };
  }
}

/** Everything below pid except the services (and what they started), depth first. */
function below(pid: number, isService: (pid: number) => boolean): number[] {
  return childPids(pid)
    .filter((child) => !isService(child))
    .flatMap((child) => [child, ...below(child, isService)]);
}

export function readTreeMemory(root: number, servicePids: ReadonlySet<number>): TreeMemory {
  const isService = (pid: number) => servicePids.has(pid);
  const supervisors = childPids(root).filter((pid) => !isService(pid));
  const loggers = supervisors.flatMap((pid) => below(pid, isService));
  // each process read once, so that the layers add up to the total
  const readings = new Map([root, ...supervisors, ...loggers].map((pid) => [pid, memoryOf(pid)]));
  const layer = (pids: number[]) => sumMemory(pids.map((pid) => readings.get(pid)!));
  return {
    total: sumMemory([...readings.values()]),
    supervisors: layer(supervisors),
    loggers: layer(loggers),
    processes: readings.size,
  };
}

/** The field-by-field median of several readings of the same tree. */
export function medianTreeMemory(readings: readonly TreeMemory[]): TreeMemory {
  const pick = (layer: 'total' | 'supervisors' | 'loggers'): MemoryReading => ({
    pss: median(readings.map((r) => r[layer].pss)),
    private: median(readings.map((r) => r[layer].private)),
    rss: median(readings.map((r) => r[layer].rss)),
  });
  return { total: pick('total'), supervisors: pick('supervisors'), loggers: pick('loggers'), processes: median(readings.map((r) => r.processes)) };
}

export interface SettleRule {
  /** Never earlier than this after the tree is up: V8 gives back a start-up's pages some seconds later. */
  minMs: number;
  /** The readings of this last stretch of time must agree... */
  windowMs: number;
  /** ...within this fraction of total private memory. */
  tolerance: number;
  /** Give up waiting (and say so) after this long. */
  maxMs: number;
}

export interface TimedReading {
  atMs: number;
  memory: TreeMemory;
}

/**
 * Whether a tree's memory has stopped moving: the readings cover the rule's window and, within it,
 * total private memory stays within the tolerance of its largest value.
 */
export function hasSettled(readings: readonly TimedReading[], rule: SettleRule): boolean {
  const last = readings.at(-1);
  if (!last || last.atMs < rule.minMs) return false;
  const since = last.atMs - rule.windowMs;
  if (readings[0]!.atMs > since) return false;
  const recent = readings.filter((r) => r.atMs >= since).map((r) => r.memory.total.private);
  const high = Math.max(...recent);
  return high - Math.min(...recent) <= high * rule.tolerance;
}

/** Reads the tree every `everyMs` until it has settled (or the rule's limit); returns the median of the last three. */
export async function readSettledTreeMemory(
  read: () => TreeMemory,
  rule: SettleRule,
  everyMs = 500,
): Promise<{ memory: TreeMemory; settled: boolean; afterMs: number }> {
  const t0 = performance.now();
  const readings: TimedReading[] = [];
  for (;;) {
    readings.push({ atMs: performance.now() - t0, memory: read() });
    const settled = hasSettled(readings, rule);
    const afterMs = readings.at(-1)!.atMs;
    if (settled || afterMs >= rule.maxMs) {
      return { memory: medianTreeMemory(readings.slice(-3).map((r) => r.memory)), settled, afterMs };
    }
    await sleep(everyMs);
  }
}

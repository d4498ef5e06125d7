// Whether a pid found in supervise/ is still the process a supervisor that died had started: its
// start time (from /proc, on the boot clock) against the status stamp, and whether it was orphaned
// into this supervision tree (docs/decisions/0007-adopting-services-after-a-supervisor-crash.md).
import { readFileSync } from 'node:fs';
import type { ServiceState, Tai64n } from '@runit-ts/protocol';

export interface ProcessFacts {
  ppid: number;
  /** Wall-clock ms at which the process started (the boot time now plus its start in clock ticks). */
  startedAtMs: number;
  zombie: boolean;
}

/** USER_HZ: /proc counts start times in these on every Linux architecture. */
const TICKS_PER_SECOND = 100;

/** The wall-clock ms of boot, as the clock stands now (uptime has 10 ms steps). */
export function bootWallClockMs(): number {
  const uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  return Date.now() - uptime * 1000;
}

/** What /proc/PID/stat says of pid, or undefined when there is no such process. */
export function processFacts(pid: number, bootMs = bootWallClockMs()): ProcessFacts | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // the command name may hold spaces and parentheses: fields start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3]
  return { ppid: Number(fields[1]), startedAtMs: bootMs + (Number(fields[19]) * 1000) / TICKS_PER_SECOND, zombie: fields[0] === 'Z' };
}

/**
 * What a pid left in supervise/ stands for now:
 * - `ours`: the process the dead supervisor started: adopted (same pid, same state);
 * - `unproven`: a process orphaned into this tree whose start does not match: stopped and waited for;
 * - `stranger`: not ours (the pid was reused, or the status is from before this boot): left alone;
 * - `gone`: no such process.
 */
export type Verdict = 'ours' | 'unproven' | 'stranger' | 'gone';

export interface LeftBehind {
  state: ServiceState;
  pid: number;
  /** The status stamp: for state run, taken right after the spawn (./finish does not move it). */
  stamp: Tai64n;
}

/** The stamp is taken after the fork; start times count in 10 ms ticks against a boot time read in 10 ms steps. */
export const START_SLACK_MS = 50;

const stampMs = (stamp: Tai64n): number => stamp.seconds * 1000 + stamp.nanoseconds / 1e6;

/**
 * `orphansParent`: the process that orphans of this tree are re-parented to (runsvdir, a subreaper),
 * when there is one. A process that started after the stamp cannot be the child the stamp was
 * written for (two live processes never share a pid) unless the wall clock stepped forward since;
 * one orphaned into this tree is then not proven either way, so it is neither adopted nor ignored.
 */
export function judge(left: LeftBehind, facts: ProcessFacts | undefined, orphansParent: number | undefined, bootMs: number): Verdict {
  if (!facts) return 'gone';
  const stamp = stampMs(left.stamp);
  if (stamp < bootMs - START_SLACK_MS) return 'stranger'; // written before this boot
  const inTree = orphansParent !== undefined && facts.ppid === orphansParent;
  // ./finish starts after the stamp (it keeps ./run's): only the tree can vouch for it
  if (left.state === 'finish') return inTree && facts.startedAtMs >= stamp - START_SLACK_MS ? 'ours' : inTree ? 'unproven' : 'stranger';
  if (facts.startedAtMs <= stamp + START_SLACK_MS) return 'ours';
  return inTree ? 'unproven' : 'stranger';
}

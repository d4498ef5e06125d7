// Process relations from /proc, for harnesses that watch trees of processes they started.
import { readdirSync, readFileSync } from 'node:fs';

/** Direct children of pid, from /proc/PID/task/TID/children; [] once pid is gone. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    } catch {
      // task ended while we looked
    }
  }
  return out;
}

/** The session id of pid, from /proc/PID/stat. */
export function sessionOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
}

/** A process's /proc/PID/oom_score_adj. */
export const oomScoreAdjOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8').trim());

/** capabilities(7) numbers. */
export const CAP_SYS_RESOURCE = 24;

/** Whether this process has a capability in its effective set (CapEff in /proc/self/status). */
export function hasCapability(capability: number): boolean {
  const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return line !== null && ((BigInt(`0x${line[1]}`) >> BigInt(capability)) & 1n) === 1n;
}

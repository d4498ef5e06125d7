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

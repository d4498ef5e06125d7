// How busy the machine was with other work during a run: the CPU time the whole machine spent
// (/proc/stat) minus what the suite and every process it started spent (/proc/self/stat, children
// included once reaped), as a share of the machine's capacity over the run.
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  /** Jiffies (USER_HZ) the machine spent busy (neither idle nor waiting for I/O), all cores. */
  machineBusy: number;
  /** Jiffies of all cores, busy or not. */
  machineTotal: number;
  /** Jiffies of this process and its reaped descendants (utime + stime + cutime + cstime). */
  ours: number;
}

/** The aggregate `cpu` line of /proc/stat: busy and total jiffies. */
export function parseProcStat(text: string): { busy: number; total: number } {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no cpu line');
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
  return { busy, total: busy + idle! + iowait! };
}

/** utime + stime + cutime + cstime from /proc/PID/stat (fields 14-17, after the parenthesised name). */
export function parseProcessTimes(text: string): number {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
}

export function cpuSnapshot(): CpuSnapshot {
  const machine = parseProcStat(readFileSync('/proc/stat', 'utf8'));
  return { machineBusy: machine.busy, machineTotal: machine.total, ours: parseProcessTimes(readFileSync('/proc/self/stat', 'utf8')) };
}

/** Share (0..1) of the machine's CPU capacity that other work used between two snapshots. */
export function otherWorkShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const total = after.machineTotal - before.machineTotal;
  if (total <= 0) return 0;
  const others = after.machineBusy - before.machineBusy - (after.ours - before.ours);
  return Math.min(1, Math.max(0, others / total));
}

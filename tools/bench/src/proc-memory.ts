// Memory of processes from /proc: smaps_rollup (Pss, private) and process trees via children files.
import { readdirSync, readFileSync } from 'node:fs';

export interface MemoryReading {
  /** Proportional set size, bytes. */
  pss: number;
  /** Private_Clean + Private_Dirty, bytes. */
  private: number;
  rss: number;
}

/** Parses the text of /proc/PID/smaps_rollup (values in kB) into bytes. */
export function parseSmapsRollup(text: string): MemoryReading {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    if (!match) throw new Error(`smaps_rollup has no ${name} line`);
    return Number(match[1]) * 1024;
  };
  return { pss: field('Pss'), private: field('Private_Clean') + field('Private_Dirty'), rss: field('Rss') };
}

export function readMemory(pid: number): MemoryReading {
  return parseSmapsRollup(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
}

export function sumMemory(readings: readonly MemoryReading[]): MemoryReading {
  return readings.reduce((a, b) => ({ pss: a.pss + b.pss, private: a.private + b.private, rss: a.rss + b.rss }), {
    pss: 0,
    private: 0,
    rss: 0,
  });
}

/** Direct children of pid, from /proc/PID/task/TID/children. */
export function childrenOf(pid: number): number[] {
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

/** pid and all its descendants, depth first. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (const child of childrenOf(pid)) out.push(...processTree(child));
  return out;
}

/** The command name (comm) of a process, or undefined if it is gone. */
export function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

// Memory of processes from /proc: smaps_rollup (Pss, private) and process trees via children files.
import { readFileSync } from 'node:fs';
import { childPids } from '@runit-ts/test-support';

export interface MemoryReading {
  /** Proportional set size, bytes. */
  pss: number;
  /** Private_Clean + Private_Dirty, bytes. */
  private: number;
  rss: number;
}

/** A `Name:   123 kB` line of a /proc file, in bytes. */
function kilobyteField(text: string, name: string, file: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!match) throw new Error(`${file} has no ${name} line`);
  return Number(match[1]) * 1024;
}

/** Parses the text of /proc/PID/smaps_rollup (values in kB) into bytes. */
export function parseSmapsRollup(text: string): MemoryReading {
  const field = (name: string): number => kilobyteField(text, name, 'smaps_rollup');
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

/** pid and all its descendants, depth first; a child for which `prune` is true is left out with its own descendants. */
export function processTree(pid: number, prune: (pid: number) => boolean = () => false): number[] {
  const out = [pid];
  for (const child of childPids(pid)) if (!prune(child)) out.push(...processTree(child, prune));
  return out;
}

/** A field of /proc/PID/status given in kB (VmHWM, VmRSS…), in bytes. */
export const parseStatusField = (text: string, name: string): number => kilobyteField(text, name, '/proc status');

/** The peak resident set size (VmHWM) of a live process, bytes; undefined once it has exited. */
export function readPeakRss(pid: number): number | undefined {
  try {
    return parseStatusField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM');
  } catch {
    return undefined; // gone, or a zombie (no memory left to report)
  }
}

/** The command name (comm) of a process, or undefined if it is gone. */
export function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

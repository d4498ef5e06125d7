// Services that write numbered lines (`<pid> <n>`) and the reading of what their loggers kept: per
// instance of ./run, every number once and in order, so that a lost, repeated or second instance shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A ./run body writing `<its pid> <n>` every `pauseSeconds`, to stdout (the log pipe). */
export const numberedRun = (pauseSeconds = 0.005): string =>
  `exec 2>&1\ni=0\nwhile :; do i=$((i+1)); echo "$$ $i"; sleep ${pauseSeconds}; done`;

/** Every line an svlogd-format log dir holds: the rotated files in order, then `current`. */
export function logDirLines(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files = [...names.filter((name) => /^@[0-9a-f]{24}\.[su]$/.test(name)).sort(), ...(names.includes('current') ? ['current'] : [])];
  return files.flatMap((name) => readFileSync(join(dir, name), 'latin1').split('\n').filter((line) => line !== ''));
}

export interface Count {
  lines: number;
  /** Numbers missing inside an instance's run (its first line is 1). */
  lost: number;
  /** Places where numbers went missing: one per read a killed reader took with it. */
  gaps: number;
  /** Lines seen more than once. */
  repeated: number;
  /** Distinct ./run processes that wrote. */
  instances: number;
}

export function countNumbered(lines: string[]): Count {
  const last = new Map<string, number>();
  const seen = new Set<string>();
  let lost = 0;
  let gaps = 0;
  let repeated = 0;
  for (const line of lines) {
    const match = /^(\d+) (\d+)$/.exec(line);
    if (!match) continue;
    const [, pid, text] = match as unknown as [string, string, string];
    const n = Number(text);
    if (seen.has(line)) repeated++;
    seen.add(line);
    const previous = last.get(pid) ?? 0;
    if (n > previous + 1) {
      lost += n - previous - 1;
      gaps++;
    }
    if (n > previous) last.set(pid, n);
  }
  return { lines: lines.length, lost, gaps, repeated, instances: last.size };
}

export const describeCount = (c: Count): string => `${c.lost} lost, ${c.repeated} repeated, ${c.instances} instance${c.instances === 1 ? '' : 's'} wrote (${c.lines} lines)`;

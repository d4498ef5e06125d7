// The machine's processes as /proc shows them (parents, groups, sessions, states, working dirs,
// command lines), a script's running instances, and ending a set of them by pid: for harnesses that
// find what a test started.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** One letter: R, S, D, Z, ... */
  state: string;
}

export function procInfo(pid: number): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name may hold spaces and parentheses: the fields start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) };
}

/** Every process now, zombies included. */
export function processTable(): ProcInfo[] {
  const list: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info) list.push(info);
  }
  return list;
}

export function cwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** The NUL-separated command line ('' once gone). */
export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch {
    return '';
  }
}

/** `chosen` grown by every descendant found in `all`, this process left out; as a list. */
export function withDescendants(all: ProcInfo[], chosen: Set<number>): number[] {
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!chosen.has(p.pid) && chosen.has(p.ppid)) {
        chosen.add(p.pid);
        grew = true;
      }
    }
  }
  chosen.delete(process.pid);
  return [...chosen];
}

/**
 * Live processes running `script` (e.g. ./run) in `dir`: more than one is a second instance. A
 * shell's child between its fork and its exec has the script's command line and working dir too
 * (e.g. the `sleep` of a loop in ./run): a match whose parent matches as well is left out.
 */
export function instancesIn(dir: string, script = './run'): number[] {
  const found = processTable().filter((p) => p.state !== 'Z' && cwdOf(p.pid) === dir && cmdlineOf(p.pid).split('\0').includes(script));
  const pids = new Set(found.map((p) => p.pid));
  return found.filter((p) => !pids.has(p.ppid)).map((p) => p.pid);
}

export function killAll(pids: number[], signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

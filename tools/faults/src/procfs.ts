// What /proc says of processes: memory, open fds, parents, working directories, command lines.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

interface Proc {
  pid: number;
  ppid: number;
  state: string;
}

function proc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), state: fields[0]! };
  } catch {
    return undefined;
  }
}

export function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = proc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

export const isAlive = (pid: number): boolean => {
  const p = proc(pid);
  return p !== undefined && p.state !== 'Z';
};

export const childrenOf = (pid: number): number[] => processes().filter((p) => p.ppid === pid && p.state !== 'Z').map((p) => p.pid);

export function cwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch {
    return '';
  }
}

/** Live processes running `script` (e.g. ./run) in `dir`: more than one is a second instance. */
export function instancesIn(dir: string, script = './run'): number[] {
  const found = processes().filter((p) => p.state !== 'Z' && cwdOf(p.pid) === dir && cmdlineOf(p.pid).split('\0').includes(script));
  // a shell's child between its fork and its exec (the script's `sleep`) has the script's cmdline too
  const pids = new Set(found.map((p) => p.pid));
  return found.filter((p) => !pids.has(p.ppid)).map((p) => p.pid);
}

/** Every live process working under one of `dirs`, and their descendants. */
export function processesUnder(dirs: string[]): number[] {
  const all = processes().filter((p) => p.state !== 'Z');
  const chosen = new Set(all.filter((p) => dirs.some((dir) => (cwdOf(p.pid) ?? '').startsWith(dir))).map((p) => p.pid));
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

export function killAll(pids: number[], signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/** The pid in dir/supervise/pid: 0 when empty or not there. */
export function supervisedPid(dir: string): number {
  try {
    return Number(readFileSync(`${dir}/supervise/pid`, 'utf8').trim() || 0);
  } catch {
    return 0;
  }
}

/** Live processes whose command line names `path` (a service host shows its services dir in its title). */
export const processesNaming = (path: string): number[] =>
  processes()
    .filter((p) => p.state !== 'Z' && p.pid !== process.pid && cmdlineOf(p.pid).includes(path))
    .map((p) => p.pid);

// Reading processes from /proc: parents, sessions, working directories; ending a test's processes.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
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

export function allProcesses(): ProcInfo[] {
  const list: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info && info.state !== 'Z') list.push(info);
  }
  return list;
}

export const childrenOf = (pid: number): ProcInfo[] => allProcesses().filter((p) => p.ppid === pid);

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

/**
 * Every live process that belongs to a test: in one of `sessions`, working under one of `dirs`, or
 * descended from one of those. Other people's processes on the machine are never included.
 */
export function testProcesses(sessions: number[], dirs: string[]): number[] {
  const all = allProcesses();
  const chosen = new Set<number>();
  for (const p of all) {
    if (sessions.includes(p.sid)) chosen.add(p.pid);
    const cwd = cwdOf(p.pid);
    if (cwd !== undefined && dirs.some((dir) => cwd === dir || cwd.startsWith(`${dir}/`))) chosen.add(p.pid);
  }
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
      // gone already
    }
  }
}

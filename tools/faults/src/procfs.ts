// What /proc says of processes: memory, open fds, parents, working directories, command lines.
import { readdirSync, readFileSync } from 'node:fs';
import { cmdlineOf, cwdOf, instancesIn, killAll, procInfo, processTable, type ProcInfo, withDescendants } from '@runit-ts/test-support';

export function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

export { cmdlineOf, cwdOf, instancesIn, killAll };

/** Every process now, zombies included. */
export const processes = (): ProcInfo[] => processTable();

export const isAlive = (pid: number): boolean => {
  const p = procInfo(pid);
  return p !== undefined && p.state !== 'Z';
};

export const childrenOf = (pid: number): number[] => processes().filter((p) => p.ppid === pid && p.state !== 'Z').map((p) => p.pid);

/** Every live process working under one of `dirs`, and their descendants. */
export function processesUnder(dirs: string[]): number[] {
  const all = processes().filter((p) => p.state !== 'Z');
  const chosen = new Set(all.filter((p) => dirs.some((dir) => (cwdOf(p.pid) ?? '').startsWith(dir))).map((p) => p.pid));
  return withDescendants(all, chosen);
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

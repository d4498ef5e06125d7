// Reading processes from /proc for dir-scanner's tests: the live ones, children, a test's own.
import { cmdlineOf, cwdOf, killAll, procInfo, processTable, type ProcInfo, withDescendants } from '@runit-ts/test-support';

export { cmdlineOf, cwdOf, killAll, procInfo, type ProcInfo };

/** Every live process (zombies left out). */
export const allProcesses = (): ProcInfo[] => processTable().filter((p) => p.state !== 'Z');

export const childrenOf = (pid: number): ProcInfo[] => allProcesses().filter((p) => p.ppid === pid);

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
  return withDescendants(all, chosen);
}

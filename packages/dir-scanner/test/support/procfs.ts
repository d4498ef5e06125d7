// Reading processes from /proc for dir-scanner's tests: the live ones, children, a test's own, and
// ending a test's own before its directories are removed.
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

/**
 * SIGKILLs a test's processes (as testProcesses finds them) until none is left alive, so that its
 * directories can be removed: a kill only takes effect once the target is next scheduled, and a
 * shell may fork a child (working in the same directory) between one scan and the kill.
 */
export async function endTestProcesses(sessions: number[], dirs: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = testProcesses(sessions, dirs);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`test processes still alive after SIGKILL: ${left.join(' ')}`);
    killAll(left);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

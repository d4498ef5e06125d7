// Starting ./run, ./finish, log/run and control/<c> through the addon's spawn, with the fd map runsv
// sets up in its forked child; a failed exec is reported as runit's child would report it.
import { spawn } from '@runit-ts/native';

export interface ChildPlan {
  /** Program, relative to cwd (runsv execs `./run`, `./finish`, `control/<c>`). */
  file: string;
  argv: string[];
  cwd: string;
  env: string[];
  /** The parent fds that become the child's 0, 1, 2. */
  stdio: [number, number, number];
  /** runsvdir -P: the child leads a new session. */
  newSession: boolean;
}

export type ChildStart =
  | { pid: number }
  /** vfork itself failed (runsv: fork failed): nothing ran. */
  | { forkError: NodeJS.ErrnoException }
  /** The child could not exec: runit's child prints a fatal line and exits 111. */
  | { execError: NodeJS.ErrnoException };

/** The exit code runit's child uses when exec fails. */
export const EXEC_FAILED_CODE = 111;

export function startChild(plan: ChildPlan): ChildStart {
  try {
    const pid = spawn({
      file: plan.file,
      argv: plan.argv,
      env: plan.env,
      cwd: plan.cwd,
      fds: plan.stdio,
      setsid: plan.newSession,
    });
    return { pid };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    // The addon reports vfork's own failure and the child's exec failure alike; EAGAIN is the one
    // a fork gives (process limit), an exec does not.
    return failure.code === 'EAGAIN' ? { forkError: failure } : { execError: failure };
  }
}

/** ./finish's arguments: exit code (or -1 when killed by a signal), and the low byte of the status. */
export function finishArguments(wstat: number): [string, string] {
  return [wstat & 0x7f ? '-1' : String(wstat >> 8), String(wstat & 0xff)];
}

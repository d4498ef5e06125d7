// What one chpst run is asked to do, whichever way it was called (chpst or a personality).
import type { LimitRequest } from './limits.js';

export interface AccountRequest {
  spec: string;
  /** chpst's `[:]user[:group...]` notation; false for setuidgid/envuidgid's plain account name. */
  extended: boolean;
}

export interface ChpstPlan {
  /** -P / pgrphack: setsid() (its failure is ignored, as in runit). */
  newSession: boolean;
  /** -e dir / envdir dir. */
  envDir?: { dir: string; skipSubdirectories: boolean };
  /** -/ root: chdir(root), then chroot("."). */
  root?: string;
  /** -C dir: chdir after the chroot (runit 2.2.0). */
  workingDirectory?: string;
  /** -n: nice(2) increment, already narrowed to a C int; 0 means "leave it". */
  niceIncrement: number;
  /** -U / envuidgid: put UID and GID in the environment. */
  envUser?: AccountRequest;
  /** -u / setuidgid: setgroups, setgid, setuid. */
  setUser?: AccountRequest;
  /** -l/-L / setlock: the lock file, kept open (and locked) for the program. */
  lock?: { path: string; wait: boolean };
  /** -0, -1, -2. */
  closeStdin: boolean;
  closeStdout: boolean;
  closeStderr: boolean;
  limits: LimitRequest;
  /** -b: the program's argv[0]. */
  argv0?: string;
  /** The program and its arguments; program[0] is what is searched on PATH. */
  program: string[];
  verbose: boolean;
  /** setlock -x: exit 0 without a word when the lock or the program is not there. */
  quietFailure: boolean;
}

export function emptyPlan(program: string[] = []): ChpstPlan {
  return {
    newSession: false,
    niceIncrement: 0,
    closeStdin: false,
    closeStdout: false,
    closeStderr: false,
    limits: {},
    program,
    verbose: false,
    quietFailure: false,
  };
}

// Starting ./run, ./finish, log/run and control/<c> through the addon's spawn, with the fd map runsv
// sets up in its forked child; a child that fails is reported by the step that failed, as runit's
// child reports it.
import { isForkFailure, spawn, type EnvEntry, type SpawnError, type SpawnStep } from '@runit-ts/native';
import { CHILD } from './messages.js';

export interface ChildPlan {
  /** Program, relative to cwd (runsv execs `./run`, `./finish`, `control/<c>`). */
  file: string;
  argv: string[];
  cwd: string;
  env: EnvEntry[];
  /** The parent fds that become the child's 0, 1, 2. */
  stdio: [number, number, number];
  /**
   * Instead of stdio, when the child gets more (./run's notification fd, a service host's offer to
   * log/run as fd 3): fds[i] becomes the child's fd i.
   */
  fds?: Array<number | null>;
  /** runsvdir -P: the child leads a new session. */
  newSession: boolean;
  /** The child's oom_score_adj when the supervisor lowered its own (see oom-protection.ts). */
  oomScoreAdj?: number;
  /** The child's soft limit on open files when the supervisor raised its own. */
  fileLimit?: number;
}

/** A step of the child's set-up that failed after the fork: runit's child prints a line for it and exits 111. */
export type ChildStep = Exclude<SpawnStep, 'vfork'>;

export type ChildStart =
  | { pid: number }
  /** vfork itself failed (runsv: fork failed): nothing ran. */
  | { forkError: NodeJS.ErrnoException }
  /** The child could not set itself up (`step`) or exec. */
  | { execError: NodeJS.ErrnoException; step: ChildStep };

/** The exit code runit's child uses when exec fails. */
export const EXEC_FAILED_CODE = 111;

export function startChild(plan: ChildPlan): ChildStart {
  try {
    const pid = spawn({
      file: plan.file,
      argv: plan.argv,
      env: plan.env,
      cwd: plan.cwd,
      fds: plan.fds ?? plan.stdio,
      setsid: plan.newSession,
      oomScoreAdj: plan.oomScoreAdj,
      fileLimit: plan.fileLimit,
    });
    return { pid };
  } catch (error) {
    if (isForkFailure(error)) return { forkError: error as SpawnError };
    const failure = error as SpawnError;
    return { execError: failure, step: failure.syscall as ChildStep };
  }
}

/** Which child runsv started: its fatal line when it fails depends on it. */
export type ServiceChild = 'run' | 'finish' | 'log';

/**
 * The line runsv's forked child prints (before its error text) when `step` failed: the log's child
 * sets up its stdin, then enters log/, then execs; the service's child sets up its stdout, then execs.
 */
export function childFailureText(child: ServiceChild, step: ChildStep): string {
  if (child === 'log') {
    if (step === 'dup2') return CHILD.setupFd('./log/run');
    return step === 'chdir' ? CHILD.chdirLog : CHILD.startLogRun;
  }
  if (step === 'dup2') return CHILD.setupFd('./run');
  return child === 'finish' ? CHILD.startFinish : CHILD.startRun;
}

/**
 * ./finish's arguments: exit code (or -1 when killed by a signal), and the low byte of the status.
 * A child adopted from a supervisor that died, whose status nobody relayed, ended unseen (status
 * -1): `-1 0`, which runit never gives (-1 comes with the signal's number).
 */
export function finishArguments(wstat: number): [string, string] {
  if (wstat < 0) return ['-1', '0'];
  return [wstat & 0x7f ? '-1' : String(wstat >> 8), String(wstat & 0xff)];
}

// State of the current process: session, subreaper, limits, ids, root, priority, tty, exec, reboot.
import type { RlimitName } from './binding.js';
import { binding } from './load.js';
import { envArray, type NodeVariables } from './spawn.js';

export type { RlimitName };

export const setsid = (): number => binding.setsid();
export const setpgid = (pid: number, pgid: number): void => binding.setpgid(pid, pgid);
export const getpgid = (pid: number): number => binding.getpgid(pid);
export const getsid = (pid: number): number => binding.getsid(pid);

/** PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented to this process. */
export const setChildSubreaper = (on: boolean): void => binding.setChildSubreaper(on);
export const isChildSubreaper = (): boolean => binding.getChildSubreaper();
/** PR_SET_PDEATHSIG: this process gets `signal` when its parent dies (0 clears it). */
export const setParentDeathSignal = (signal: number): void => binding.setParentDeathSignal(signal);

export const RB = binding.REBOOT;
export const reboot = (cmd: number): void => binding.reboot(cmd);
export const sync = (): void => binding.sync();

export const RLIMIT = binding.RLIMIT;
export interface Rlimit {
  soft: number;
  hard: number;
}
/** Limits are numbers; Infinity stands for RLIM_INFINITY. */
export function getrlimit(resource: RlimitName): Rlimit {
  const [soft, hard] = binding.getrlimit(binding.RLIMIT[resource]);
  return { soft, hard };
}
export function setrlimit(resource: RlimitName, limit: Rlimit): void {
  binding.setrlimit(binding.RLIMIT[resource], limit.soft, limit.hard);
}

export const setgroups = (gids: number[]): void => binding.setgroups(gids);
export const setgid = (gid: number): void => binding.setgid(gid);
export const setuid = (uid: number): void => binding.setuid(uid);
export const chroot = (path: string): void => binding.chroot(path);
/** nice(2): adds `increment` to the niceness and returns the new value. */
export const nice = (increment: number): number => binding.nice(increment);
/** TIOCSCTTY: makes the terminal on fd the controlling terminal of this session. */
export const setControllingTerminal = (fd: number, force = false): void => binding.tiocsctty(fd, force);

/**
 * Replaces this process with `file` (same pid). Signal dispositions and the mask are reset first,
 * so the program does not inherit Node's ignored SIGPIPE. The NODE_* variables our launcher moved
 * aside are given back unless the program is one of our Node daemons ('set-aside'). Throws only if
 * the exec fails.
 */
export function execve(
  file: string,
  argv: string[],
  env: NodeJS.ProcessEnv | string[] = process.env,
  nodeVariables: NodeVariables = 'given-back',
): never {
  return binding.execve(file, argv, envArray(env, nodeVariables));
}

/** Sets each signal to SIG_DFL, then each of `ignored` to SIG_IGN (raw syscall: any signal but KILL and STOP). */
export const setSignalDispositions = (defaulted: number[], ignored: number[] = []): void =>
  binding.setSignalDispositions(defaulted, ignored);
/** A signal's disposition now: SIG_DFL, SIG_IGN or a handler. */
export const signalDisposition = (signal: number): 'default' | 'ignore' | 'handler' => binding.signalDisposition(signal);

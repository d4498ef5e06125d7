// State of the current process: session, limits, ids, root, priority, exec, reboot.
import type { RlimitName } from './binding.js';
import { binding } from './load.js';
import { forKernel } from './raw-text.js';
import { envArray, type Bytes, type EnvEntry, type NodeVariables } from './spawn.js';

export type { RlimitName };

export const setsid = (): number => binding.setsid();

export const RB = binding.REBOOT;
export const reboot = (cmd: number): void => binding.reboot(cmd);
export const sync = (): void => binding.sync();

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
export const chroot = (path: Bytes): void => binding.chroot(forKernel(path));
/** nice(2): adds `increment` to the niceness and returns the new value. */
export const nice = (increment: number): number => binding.nice(increment);

/**
 * Replaces this process with `file` (same pid). Signal dispositions and the mask are reset first,
 * so the program does not inherit Node's ignored SIGPIPE. The NODE_* variables our launcher moved
 * aside are given back unless the program is one of our Node daemons ('set-aside'). Throws only if
 * the exec fails.
 */
export function execve(
  file: Bytes,
  argv: Bytes[],
  env: NodeJS.ProcessEnv | EnvEntry[] = process.env,
  nodeVariables: NodeVariables = 'given-back',
): never {
  return binding.execve(forKernel(file), argv.map(forKernel), envArray(env, nodeVariables).map(forKernel));
}

/** Sets each signal to SIG_DFL, then each of `ignored` to SIG_IGN (raw syscall: any signal but KILL and STOP). */
export const setSignalDispositions = (defaulted: number[], ignored: number[] = []): void =>
  binding.setSignalDispositions(defaulted, ignored);
/** A signal's disposition now: SIG_DFL, SIG_IGN or a handler. */
export const signalDisposition = (signal: number): 'default' | 'ignore' | 'handler' => binding.signalDisposition(signal);

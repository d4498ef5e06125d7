// Processes this one did not start (pidfd_open: watch and signal one without racing pid reuse), and
// the subreaper flag that makes orphans below this process its children rather than PID 1's.
import { constants } from 'node:os';
import { binding } from './load.js';

/** pidfd_open(pid): an fd that stands for this very process until it is closed (close it with closeSync). */
export const pidfdOpen = (pid: number): number => binding.pidfdOpen(pid);

/** Sends `signal` to the process the pidfd stands for; ESRCH once it has exited, whoever has its pid since. */
export function pidfdSignal(fd: number, signal: NodeJS.Signals): void {
  binding.pidfdSendSignal(fd, constants.signals[signal]);
}

/** For each pidfd, whether its process has exited (never waits). */
export const pidfdsExited = (fds: number[]): boolean[] => binding.pidfdsExited(fds);

/**
 * prctl(PR_SET_CHILD_SUBREAPER): processes orphaned below this one (a child that died leaving
 * children) become its children, so that it reaps them and sees their exit status.
 */
export const setChildSubreaper = (): void => binding.setChildSubreaper();

// Every line runsv can print, as runit 2.1.2 prints it: text is data, built in one place.
import { runitErrorText } from '@runit-ts/protocol';

export const PROGRAM = 'runsv' as const;

/** `usage: <argv0> dir`, then the empty line runit's strerr_die adds. */
export const usage = (argv0: string): string => `usage: ${argv0} dir\n\n`;

/** `<what>: <djb error text>`, the shape of every message that reports a failed system call. */
export const withError = (what: string, error: unknown): string => `${what}: ${runitErrorText(error)}`;

// Fatal at start-up (runsv exits 111; a ServiceSupervisor's start() rejects).
export const FATAL = {
  chdir: 'unable to change to directory',
  logPipe: 'unable to create log pipe',
  readlinkTooLong: (link: string) => `unable to readlink ./${link}: name too long`,
  readlink: (link: string) => `unable to readlink ./${link}`,
  openLock: (prefix: string) => `unable to open ${prefix}supervise/lock`,
  lock: (prefix: string) => `unable to lock ${prefix}supervise/lock`,
  statControl: (prefix: string) => `unable to stat ${prefix}supervise/control`,
  controlNotFifo: (prefix: string) => `${prefix}supervise/control exists but is not a fifo`,
  openControl: (prefix: string) => `unable to open ${prefix}supervise/control`,
  readOk: (prefix: string) => `unable to read ${prefix}supervise/ok`,
  /** runit-ts only: runit follows the link (docs/security.md). */
  fifoIsLink: (prefix: string, fifo: 'control' | 'ok') =>
    `${prefix}supervise/${fifo} is a symbolic link, not a fifo in ${prefix}supervise/`,
  /** runit-ts only: runit does not check supervise/ok. */
  okNotFifo: (prefix: string) => `${prefix}supervise/ok exists but is not a fifo`,
} as const;

// Printed by runit's forked child before it exits 111; the supervisor goes on.
export const CHILD = {
  startRun: 'unable to start ./run',
  startFinish: 'unable to start ./finish',
  startLogRun: 'unable to start log/./run',
  chdirLog: 'unable to change directory to ./log',
  setupFd: (program: './run' | './log/run') => `unable to setup filedescriptor for ${program}`,
  /** runit prints a literal `?` here, not the control letter. */
  runCustom: 'unable to run control/?',
} as const;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const WARNING = {
  statLog: 'unable to stat() ./log: ', // runit's own text: the error follows after a second ": "
  logNotDir: './log: not a directory.',
  openNew: (path: string) => `unable to open ${path}`,
  writeNew: (path: string) => `unable to write ${path}`,
  partialWrite: (path: string) => `unable to write ${path}: partial write.`,
  rename: (file: string, path: string) => `unable to rename ${file}.new to ${path}`,
  statCustom: (path: string) => `unable to stat ${path}`,
  forkCustom: (path: string) => `unable to fork for ${path}`,
  forkSleeping: 'unable to fork, sleeping',
  closeLogPipe: (end: 0 | 1) => `unable to close logpipe[${end}]`,
  /** runit-ts only: whoever owns supervise/ can plant files in it (docs/security.md). */
  superviseOwner: (prefix: string, owner: number, euid: number) =>
    `${prefix}supervise/ is owned by uid ${owner}, not by this supervisor's uid ${euid}: its owner can tamper with the service's control`,
  /** runit-ts only: the control FIFO's reader reported an error. */
  readControl: (prefix: string) => `unable to read ${prefix}supervise/control`,
  /** runit-ts only: a bug in this supervisor, contained so that other services go on. */
  internal: (error: unknown) => `internal error: ${describe(error)}`,
  /**
   * runit-ts only: a process that a supervisor that died left in supervise/pid was orphaned into this
   * tree but does not match the status's stamp: stopped and waited for, never started twice.
   */
  unproven: (which: 'service' | 'log', pid: number) =>
    `${which === 'log' ? 'log/run' : './run'} left by a previous supervisor (pid ${pid}) cannot be told apart from another process: stopping it, then starting anew`,
  /** runit-ts only, in runsvdir's service host: the fds its supervisors share have run out; this one waits. */
  waitingForFds: 'waiting a second for file descriptors',
  /** runit-ts only, in runsvdir's service host: another supervisor runs the service; this one waits for it to go. */
  lockHeld: 'supervise/lock is held by another supervisor: waiting for it to end',
  /** runit-ts only: an event listener of the library API threw; the supervisor goes on. */
  listener: (event: string, error: unknown) => `${event} listener failed: ${describe(error)}`,
} as const;

// The public shapes of a ServiceSupervisor: options, status, how it ended, its events.
import type { EnvEntry, ExitStatus } from '@runit-ts/native';
import type { Failure, LastExit, ServiceState, Tai64n, Want } from '@runit-ts/protocol';
import type { Diagnostic, DiagnosticSink } from './diagnostics.js';
import type { SupervisorError } from './errors.js';
import type { Which } from './service-record.js';

/** A service's stdout that outlives its supervisor, such as a log written in the host. */
export interface ServiceOutput {
  /** The write end the service's children get as stdout. */
  readonly writeFd: number;
  /** The supervisor has ended: drop the host's write end; resolves once all written is handled. Idempotent. */
  end(): Promise<void>;
}

export interface SupervisorOptions {
  /** The service directory (runsv's argument). */
  dir: string;
  /** How messages name the service (`runsv <name>: warning: …`); defaults to dir. */
  name?: string;
  /** Environment of run, finish, log/run and control/<c>; defaults to this process's. */
  env?: NodeJS.ProcessEnv | EnvEntry[];
  /** fd 0 of every child (default 0). */
  stdinFd?: number;
  /** fd 1 of ./run, ./finish and handlers when there is no log service, and of log/run (default 1). */
  stdoutFd?: number;
  /**
   * Opens a stdout that outlives the service's children, such as a log written in the host; its write
   * end becomes their fd 1. Called once supervise/lock is held, because a supervisor that still runs
   * the service (and holds the lock) may hold that output's resources too, such as a log dir's lock.
   * Undefined: stdoutFd. Once the service is down for good the supervisor ends the output and waits
   * for it before letting go of supervise/, as runsv waits for its log service to exit: when `sv`
   * sees no supervisor, the output is all written. `adoptedStdout`: when a service a dead supervisor
   * left running was adopted, the /proc path of its stdout pipe, to be reopened (reopenPipe) and read
   * on, since the service writes on into it.
   */
  openOutput?: (adoptedStdout?: string) => ServiceOutput | undefined;
  /** fd 2 of every child, and where diagnostics go unless `diagnostics` is given (default 2). */
  stderrFd?: number;
  /** runsvdir -P: every child leads a new session. */
  newSession?: boolean;
  /** The oom_score_adj of every child, when the hosting process lowered its own (see protectFromOom). */
  childOomScoreAdj?: number;
  /** The soft limit on open files of every child, when the hosting process raised its own (raiseFileLimit). */
  childFileLimit?: number;
  /** Receives every warning and fatal line instead of the default writer on stderrFd. */
  diagnostics?: DiagnosticSink;
  /**
   * The process that orphans of this supervisor's children are re-parented to and reaped by, when it
   * is runit-ts's runsvdir (a subreaper): what a dead supervisor left is then known to be of this tree.
   */
  orphansParent?: number;
  /**
   * Wait (retrying every second) while another supervisor holds supervise/lock, instead of runsv's
   * fatal `unable to lock supervise/lock: temporary failure`: runsvdir's service host, whose
   * predecessor may still run the service (runsvdir itself died and was started again).
   */
  waitForLock?: boolean;
  /**
   * Before setting up, wait (one warning and a try each second) while the fd table lacks room for
   * this supervisor and a few fds more for its neighbours: runsvdir's service host, whose fds all
   * its supervisors share.
   */
  waitForFds?: boolean;
  /**
   * An fd on the log pipe a supervisor that died had (kept for it by runsvdir, open for reading and
   * writing): used instead of a new pipe, and closed once its ends are reopened.
   */
  logPipeFd?: number;
  /**
   * A service host's offer to each log/run (runsvdir's host: an svlogd it execs may hand its dirs
   * over and exit, and the host writes them; docs/decisions/0008-svlogd-hands-its-log-dirs-to-the-service-host.md).
   */
  logHandOff?: LogHandOff;
}

/** Makes an offer for a log/run about to start with the log pipe's read end as its stdin. */
export type LogHandOff = (pipeReadFd: number) => LogRunOfferPort;

export interface LogRunOfferPort {
  /** The fd log/run gets as its fd 3. */
  readonly childFd: number;
  /** log/run has started: the host's copy of childFd is closed (the message, if any, waits in the other end). */
  childStarted(): void;
  /** An entry for log/run's environment. */
  readonly environment: string;
  /** After log/run's process exited 0 (still unreaped): the log it handed over, if it did. */
  take(pid: number): HostedLogPort | undefined;
  close(): void;
}

/** A log written in the host for a log/run process that has exited (kept unreaped meanwhile). */
export interface HostedLogPort {
  /** The exit code the logger's process would have had (null: killed). */
  readonly exited: Promise<number | null>;
  term(): void;
  hup(): void;
  alarm(): void;
  kill(): void;
  /** SIGSTOP and SIGCONT: stop and start reading the pipe. */
  pause(): void;
  cont(): void;
}

export interface ServiceStatus {
  state: ServiceState;
  want: Want;
  pid: number;
  paused: boolean;
  gotTerm: boolean;
  /** Last state change (supervisor start, ./run start, reaching down). */
  since: Tai64n;
  /** ./run has said it is ready (notification-fd, notify-socket); always false without readiness. */
  ready: boolean;
  /** ./run started again since the supervisor started. */
  restarts: number;
  /** How ./run last ended, once it has. */
  lastExit: LastExit | undefined;
  /** Down for good (./finish exit 125, the death tally) until `u`. */
  failed: Failure | undefined;
  /** The needs ./run waits for before it starts. */
  waitingOn: string[];
}

export interface SupervisorStatus extends ServiceStatus {
  /** The log service, when log/ is a directory. */
  log?: ServiceStatus;
}

/** How a supervisor ended: 0 after the exit sequence, 111 after a fatal error. */
export interface SupervisorEnd {
  code: number;
  error?: SupervisorError;
}

export interface SupervisorEvents {
  /** After every write of supervise/status. */
  state: [which: Which, status: ServiceStatus];
  /** ./run (this pid) said it is ready. */
  ready: [pid: number];
  /** A child of the service or its log was reaped (pid 0 when ./run could not be exec'd). */
  exit: [which: Which, exit: ExitStatus];
  /** Every warning or fatal line, as it is printed. */
  diagnostic: [diagnostic: Diagnostic];
  /** The log pipe is in use (made or taken over; its fds [read, write]), or has been closed. */
  logPipe: [state: 'open' | 'closed', fds: readonly [read: number, write: number]];
  end: [end: SupervisorEnd];
}

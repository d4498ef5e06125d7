// Taking over what a supervisor that died left running (a service host killed, a runsv killed): the
// pid in supervise/status, when it is provably that supervisor's child, is adopted with its state;
// see docs/decisions/0007-adopting-services-after-a-supervisor-crash.md.
import { closeSync, constants, openSync, readFileSync, readlinkSync } from 'node:fs';
import { pidfdOpen } from '@runit-ts/native';
import { decodeStatus, type ServiceState, type Tai64n, type Want } from '@runit-ts/protocol';
import { bootWallClockMs, judge, processFacts, type Verdict } from './process-identity.js';
import type { ServiceDir } from './service-dir.js';
import type { Prefix } from './supervise-dir.js';

/** The record's fields as the dead supervisor last wrote them. */
export interface LeftState {
  state: ServiceState;
  want: Want;
  paused: boolean;
  gotTerm: boolean;
  stamp: Tai64n;
  pid: number;
}

export type Found =
  /** Nothing to take over: start as runsv starts (no status, nothing running, or not ours). */
  | { kind: 'fresh'; verdict?: Verdict }
  /** The child runs (or is a zombie): adopt it through its pidfd; `parent` reaps it. */
  | { kind: 'running'; left: LeftState; pidfd: number; parent: number; verdict: 'ours' | 'unproven' }
  /** The child has ended and its wait status was relayed by the process that reaped it. */
  | { kind: 'ended'; left: LeftState; status: number };

/** The 20-byte status a dead supervisor left, or undefined when there is none that can be read. */
function readLeft(dir: ServiceDir, prefix: Prefix): LeftState | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(dir.at(`${prefix}supervise/status`));
  } catch {
    return undefined;
  }
  try {
    const status = decodeStatus(bytes);
    if (status.state === 'unknown' || status.want === 'unknown') return undefined;
    return { state: status.state, want: status.want, paused: status.paused, gotTerm: status.gotTerm, stamp: status.stamp, pid: status.pid };
  } catch {
    return undefined; // a corrupt status says nothing about what runs
  }
}

export interface LookOptions {
  /** Where orphans of this tree are re-parented (runsvdir, a subreaper), when known. */
  orphansParent: number | undefined;
  /** A status already relayed for a pid (the host's record of runsvdir's reaped orphans). */
  relayed: (pid: number) => number | undefined;
}

/**
 * What the previous supervisor of this dir (main service or log) left: called with the lock held, so
 * that no other supervisor runs it now. Only ./run and ./finish (log/run for the log) are looked for.
 */
export function lookForLeftBehind(dir: ServiceDir, prefix: Prefix, options: LookOptions): Found {
  const left = readLeft(dir, prefix);
  if (!left || left.pid === 0 || left.state === 'down' || (prefix === 'log/' && left.state !== 'run')) return { kind: 'fresh' };
  const bootMs = bootWallClockMs();
  let pidfd: number;
  try {
    pidfd = pidfdOpen(left.pid);
  } catch {
    const status = options.relayed(left.pid);
    return status === undefined ? { kind: 'fresh', verdict: 'gone' } : { kind: 'ended', left, status };
  }
  // read after the pidfd is held: if the pid was reused since, the facts are the new process's
  const facts = processFacts(left.pid, bootMs);
  const verdict = judge(left, facts, options.orphansParent, bootMs);
  if (verdict === 'ours' || verdict === 'unproven') return { kind: 'running', left, pidfd, parent: facts!.ppid, verdict };
  closeSync(pidfd);
  return { kind: 'fresh', verdict };
}

const isPipe = (link: string): boolean => link.startsWith('pipe:');

function pipeOf(pid: number, fd: number): string | undefined {
  try {
    const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    return isPipe(link) ? link : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Both ends of a pipe reached through `/proc/<pid>/fd/<n>` (or /proc/self/fd/<n>): opening a pipe
 * through /proc adds a reader or a writer to that same pipe. The read end comes first, so that
 * opening the write end without blocking finds a reader. Undefined when it cannot be opened.
 */
export function reopenPipe(path: string): [read: number, write: number] | undefined {
  let read: number;
  try {
    read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    return [read, openSync(path, constants.O_WRONLY | constants.O_NONBLOCK)];
  } catch {
    closeSync(read);
    return undefined;
  }
}

/** `/proc/PID/fd/FD` when that fd of a live process is a pipe (reopen it with reopenPipe). */
export const adoptedPipePath = (pid: number, fd: number): string | undefined =>
  pid > 0 && pipeOf(pid, fd) ? `/proc/${pid}/fd/${fd}` : undefined;

/**
 * The log pipe the adopted children still hold: log/run's stdin, else ./run's (or ./finish's)
 * stdout; when both hold pipes they must be the same one (a ./run that sent its stdout elsewhere
 * does not count). Undefined when neither holds it (a new pipe is made then).
 */
export function recoverLogPipe(servicePid: number, logPid: number): [read: number, write: number] | undefined {
  const logSide = logPid > 0 ? pipeOf(logPid, 0) : undefined;
  const serviceSide = servicePid > 0 ? pipeOf(servicePid, 1) : undefined;
  if (logSide) return reopenPipe(`/proc/${logPid}/fd/0`);
  if (serviceSide) return reopenPipe(`/proc/${servicePid}/fd/1`);
  return undefined;
}

/**
 * Set by runit-ts's runsvdir in the environment of each runsv of ours it starts (the per-process
 * mode): runsvdir's pid, a subreaper. runsv takes it out of its environment before anything is started.
 */
export const ORPHANS_PARENT = 'RUNIT_TS_ORPHANS_PARENT';

/** The orphans' parent runsvdir announced, removed from `env` (the services never see it). */
export function takeOrphansParent(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[ORPHANS_PARENT];
  delete env[ORPHANS_PARENT];
  const pid = Number(value);
  return Number.isInteger(pid) && pid > 1 && pid === process.ppid ? pid : undefined;
}

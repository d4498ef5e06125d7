// The processes of one service dir: ./run, ./finish, log/run and control/<c>, started through the
// addon with the fd map runsv sets up in its forked child, signalled, and reaped by the one reaper.
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { decodeWaitStatus, exitedWith, reaper, type EnvEntry, type ExitStatus } from '@runit-ts/native';
import { foreignChildren } from './foreign-children.js';
import { childFailureText, EXEC_FAILED_CODE, finishArguments, startChild, type ChildPlan, type ServiceChild } from './child-start.js';
import { handled, handlerExists, handlerPath, startHandler } from './control-handler.js';
import type { LogPipe, Stdio } from './log-pipe.js';
import { CHILD, WARNING } from './messages.js';
import { ReadinessChannel } from './readiness-channel.js';
import type { ChildPort, SpawnResult } from './service-machine.js';
import type { HandlerLetter, ServiceRecord, Which } from './service-record.js';
import type { ServiceDir } from './service-dir.js';
import type { HostedLogPort, LogHandOff } from './supervisor-types.js';

export interface ChildrenOptions {
  dir: ServiceDir;
  env: EnvEntry[];
  /** The supervisor's own stdio for its children, before the log pipe is mapped in. */
  stdio: Stdio;
  newSession: boolean;
  oomScoreAdj: number | undefined;
  fileLimit: number | undefined;
  logPipe: LogPipe | undefined;
  /** The host's offer to log/run (see SupervisorOptions.logHandOff). */
  logHandOff?: LogHandOff | undefined;
  warn: (text: string, error?: unknown) => void;
  /** A line runit's forked child would print before exiting 111. */
  childFatal: (text: string, error?: unknown) => void;
  /** A child of the service or its log was reaped (or could not exec: pid 0, exit 111). */
  exited: (which: Which, exit: ExitStatus) => void;
  /** ./run (this pid) said it is ready, through its notification-fd or notify-socket. */
  ready: (pid: number) => void;
}

const READ_NB = constants.O_RDONLY | constants.O_NONBLOCK;

/** The wait status ./finish is told for a child that ended unseen: `-1 0`, a pair runit never gives. */
export const UNKNOWN_WAIT_STATUS = -1;

export class ServiceChildren implements ChildPort {
  private readonly watched = new Set<number>();
  // the three below are made at their first use: most supervisors never need them
  /** The readiness channel of the running ./run, by pid. */
  private channels: Map<number, ReadinessChannel> | undefined;
  private adopted: Set<number> | undefined;
  private handlerDone: Promise<boolean> | undefined;
  /** Logs written in the host for log/run processes kept unreaped, by pid (what supervise/pid holds). */
  private hostedLogs: Map<number, HostedLogPort> | undefined;

  constructor(private readonly options: ChildrenOptions) {}

  spawn(s: ServiceRecord): SpawnResult {
    const { dir, logPipe } = this.options;
    const isLog = s.which === 'log';
    const finishing = s.state === 'finish';
    if (logPipe && !logPipe.open) {
      // the exit sequence closed the log pipe and something asked for a start again
      return this.execFailed(s, CHILD.setupFd(isLog ? './log/run' : './run'), 'EBADF');
    }
    const stdio = this.childStdio(isLog);
    // beyond runit, for ./run only: the pipe or socket it tells readiness through (its opt-in files)
    const readiness = isLog || finishing ? undefined : ReadinessChannel.open(s.extra.config, this.options.warn);
    const plan: ChildPlan = {
      file: finishing ? './finish' : './run',
      argv: finishing ? ['./finish', ...finishArguments(s.wstat)] : ['./run'],
      cwd: isLog ? dir.at('log') : dir.base,
      env: readiness ? readiness.env(this.options.env) : this.options.env,
      stdio,
      ...(readiness ? { fds: readiness.fds(stdio) } : {}),
      newSession: this.options.newSession,
      oomScoreAdj: this.options.oomScoreAdj,
      fileLimit: this.options.fileLimit,
    };
    const offer = isLog && logPipe && this.options.logHandOff ? this.options.logHandOff(plan.stdio[0]) : undefined;
    if (offer) {
      plan.fds = [...plan.stdio, offer.childFd];
      plan.env = [...plan.env, offer.environment];
    }
    const started = startChild(plan);
    if (offer && 'pid' in started) {
      this.watchOffered(started.pid, offer, (exit) => this.options.exited(s.which, exit));
      return started.pid;
    }
    offer?.close();
    if ('pid' in started) {
      const { pid } = started;
      if (readiness) {
        readiness.attach(pid, () => this.options.ready(pid));
        (this.channels ??= new Map()).set(pid, readiness);
      }
      this.watch(pid, (exit) => {
        this.closeChannel(pid);
        this.options.exited(s.which, exit);
      });
      return pid;
    }
    readiness?.close();
    if ('execError' in started) return this.execFailed(s, childFailureText(serviceChild(s), started.step), started.execError);
    this.options.warn(WARNING.forkSleeping, started.forkError);
    return 'fork-failed';
  }

  kill(s: ServiceRecord, signal: NodeJS.Signals): void {
    if (s.pid <= 0) return; // never kill(0, …): that would signal the whole host's group
    const hosted = this.hostedLogs?.get(s.pid);
    if (hosted) return signalHosted(hosted, signal);
    if (this.adopted?.has(s.pid) && foreignChildren.signal(s.pid, signal)) return;
    try {
      process.kill(s.pid, signal);
    } catch {
      // already gone; runsv ignores kill's result too
    }
  }

  hasHandler(letter: HandlerLetter): boolean {
    return handlerExists(this.options.dir.at(handlerPath(letter)), letter, this.options.warn);
  }

  runHandler(letter: HandlerLetter): boolean {
    const { dir, env, newSession, oomScoreAdj, fileLimit, warn, childFatal } = this.options;
    const pid = startHandler(letter, { cwd: dir.base, env, stdio: this.childStdio(false), newSession, oomScoreAdj, fileLimit }, { warn, childFatal });
    if (pid === undefined) return false;
    this.handlerDone = new Promise((resolve) => this.watch(pid, (exit) => resolve(handled(exit))));
    return true;
  }

  /** Resolves with whether the handler last started exited 0. */
  handlerExit(): Promise<boolean> {
    return this.handlerDone ?? Promise.resolve(false);
  }

  finishReadable(): boolean {
    const finish = this.options.dir.at('finish');
    // most services have no ./finish: existsSync says so without an exception on every restart
    if (!existsSync(finish)) return false;
    try {
      closeSync(openSync(finish, READ_NB));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Takes over a child a supervisor that died left running (see adoption.ts): its exit comes from
   * whoever reaps it (relayed), or from its pidfd without a status. `parent` is its parent now.
   */
  adopt(which: Which, pid: number, pidfd: number, parent: number): void {
    (this.adopted ??= new Set()).add(pid);
    foreignChildren.watch(pid, pidfd, parent, (status) => {
      this.adopted?.delete(pid);
      const exit = status === undefined ? { pid, status: UNKNOWN_WAIT_STATUS, code: null, signal: null, core: false } : decodeWaitStatus(pid, status);
      this.options.exited(which, exit);
    });
  }

  /** Stops watching every child: they are left running, as runsv's children outlive it. */
  release(): void {
    for (const pid of this.watched) reaper.unwatch(pid);
    this.watched.clear();
    for (const pid of this.adopted ?? []) foreignChildren.unwatch(pid);
    this.adopted?.clear();
    for (const pid of [...(this.channels?.keys() ?? [])]) this.closeChannel(pid);
  }

  private closeChannel(pid: number): void {
    this.channels?.get(pid)?.close();
    this.channels?.delete(pid);
  }

  /** runit's child printed `text: error` and exited 111: the same, without a child. */
  private execFailed(s: ServiceRecord, text: string, error: unknown): 'exec-failed' {
    this.options.childFatal(text, error);
    this.options.exited(s.which, exitedWith(0, EXEC_FAILED_CODE));
    return 'exec-failed';
  }


  private childStdio(forLog: boolean): Stdio {
    const { logPipe, stdio } = this.options;
    return logPipe ? logPipe.stdio(forLog, stdio) : stdio;
  }

  /**
   * log/run started with the host's offer: if its process exits 0 having handed its log over, it is
   * kept unreaped (its pid, in supervise/pid, stays its own and harmless to signal) while the host
   * writes the log; its exit is told when that log stops, with the code svlogd would have exited with.
   */
  private watchOffered(pid: number, offer: ReturnType<LogHandOff>, handler: (exit: ExitStatus) => void): void {
    offer.childStarted();
    let stopped: number | null | undefined;
    this.watched.add(pid);
    reaper.watch(
      pid,
      (exit) => {
        // the inspector below has closed the offer already; closing it again is harmless, and a
        // message left in an open offer would hold svlogd's locks for ever
        offer.close();
        this.watched.delete(pid);
        this.hostedLogs?.delete(pid);
        handler(stopped === undefined ? exit : stopped === null ? killedStatus(pid) : exitedWith(pid, stopped));
      },
      (exit) => {
        const hosted = exit.code === 0 ? offer.take(pid) : undefined;
        offer.close();
        if (!hosted) return 'reap';
        (this.hostedLogs ??= new Map()).set(pid, hosted);
        void hosted.exited.then((code) => {
          stopped = code;
          reaper.release(pid);
        });
        return 'keep';
      },
    );
  }

  private watch(pid: number, handler: (exit: ExitStatus) => void): void {
    this.watched.add(pid);
    reaper.watch(pid, (exit) => {
      this.watched.delete(pid);
      handler(exit);
    });
  }
}

/** Which of runsv's children a start of this record is: its failure line depends on it. */
const serviceChild = (s: ServiceRecord): ServiceChild => (s.which === 'log' ? 'log' : s.state === 'finish' ? 'finish' : 'run');

/** SIGKILL's wait status. */
const killedStatus = (pid: number): ExitStatus => ({ pid, status: 9, code: null, signal: 9, core: false });

/** What each signal sv sends does to svlogd, done to the log the host writes for it. */
function signalHosted(hosted: HostedLogPort, signal: NodeJS.Signals): void {
  if (signal === 'SIGTERM') hosted.term();
  else if (signal === 'SIGHUP') hosted.hup();
  else if (signal === 'SIGALRM') hosted.alarm();
  else if (signal === 'SIGSTOP') hosted.pause();
  else if (signal === 'SIGCONT') hosted.cont();
  // every other signal sv sends ends svlogd without writing out (their default action)
  else hosted.kill();
}

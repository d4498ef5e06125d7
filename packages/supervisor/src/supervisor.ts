// ServiceSupervisor: runsv for one service dir, without a process of its own, so that one host
// process can hold many. It keeps runsv's loop and ordering; its waits never block the host.
import { EventEmitter } from 'node:events';
import { closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import { envArray, exitedWith, reaper, type ExitStatus } from '@runit-ts/native';
import { tai64nNow } from '@runit-ts/protocol';
import { EXEC_FAILED_CODE, finishArguments, startChild, type ChildPlan } from './child-start.js';
import { ControlInput } from './control-fifo.js';
import { runControlHandler } from './control-handler.js';
import { createDiagnostics, type Diagnostic, type DiagnosticLevel, type DiagnosticSink } from './diagnostics.js';
import { attempt, StartFailure, SupervisorError } from './errors.js';
import { EXIT_FATAL, EXIT_OK } from './exit.js';
import { LogPipe, type Stdio } from './log-pipe.js';
import { CHILD, FATAL, WARNING, withError } from './messages.js';
import { childExited, controlEvent, dispatch, needsStart, startService } from './service-machine.js';
import { ServiceDir } from './service-dir.js';
import { ServiceRecord, type RecordOwner, type Which } from './service-record.js';
import { writeStatusFiles, type StatusRecord } from './status-files.js';
import { lockEventually, lockNow, makeSuperviseDir, openControlFifo, openLock, openOkFifo, type Prefix } from './supervise-dir.js';
import type { ServiceStatus, SupervisorEnd, SupervisorEvents, SupervisorOptions, SupervisorStatus } from './supervisor-types.js';

export type { ServiceStatus, SupervisorEnd, SupervisorEvents, SupervisorOptions, SupervisorStatus };

interface Reaped {
  record: ServiceRecord;
  exit: ExitStatus;
}

/** What one status write puts on disk and reports; held back when a start follows (see writeStatus). */
interface StatusSnapshot {
  status: StatusRecord;
  view: ServiceStatus;
  pidChanged: boolean;
}

type Phase = 'new' | 'starting' | 'running' | 'ended';

const FORK_RETRY_MS = 5000;
const READ_NB = constants.O_RDONLY | constants.O_NONBLOCK;

export class ServiceSupervisor extends EventEmitter<SupervisorEvents> implements RecordOwner {
  readonly dir: string;
  readonly name: string;
  /** Resolves once the supervisor has ended and released everything. */
  readonly ended: Promise<SupervisorEnd>;
  pidChanged = true;

  private phase: Phase = 'new';
  private readonly main = new ServiceRecord('service', this);
  private log: ServiceRecord | undefined;
  private serviceDir: ServiceDir | undefined;
  private logPipe: LogPipe | undefined;
  private readonly heldFds: number[] = [];
  private mainControl: ControlInput | undefined;
  private logControl: ControlInput | undefined;
  private readonly exits: Reaped[] = [];
  private readonly watched = new Set<number>();
  private readonly held = new Map<ServiceRecord, StatusSnapshot>();
  private wake: (() => void) | undefined;
  private termRequested = false;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly env: string[];
  private readonly stdio: Stdio;
  private readonly newSession: boolean;
  private readonly diagnostics: DiagnosticSink;
  private resolveEnded!: (end: SupervisorEnd) => void;

  constructor(options: SupervisorOptions) {
    super();
    if (typeof options?.dir !== 'string') throw new TypeError(`option "dir" must be a string, got ${String(options?.dir)} (${typeof options?.dir})`);
    this.dir = options.dir;
    this.name = options.name ?? options.dir;
    this.env = envArray(options.env ?? process.env);
    this.stdio = [options.stdinFd ?? 0, options.stdoutFd ?? 1, options.stderrFd ?? 2];
    this.newSession = options.newSession === true;
    this.diagnostics = options.diagnostics ?? createDiagnostics(this.stdio[2]);
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /**
   * Sets up supervise/ (lock, FIFOs, status) and starts supervising. Rejects with a SupervisorError
   * carrying runit's fatal message (also printed) when runsv would have exited 111.
   */
  async start(): Promise<void> {
    if (this.phase !== 'new') throw new Error(`supervisor for ${this.name} was already started`);
    this.phase = 'starting';
    reaper.start(); // idempotent: the one process-wide reaper
    try {
      await this.setUp();
    } catch (error) {
      const failure = error instanceof StartFailure ? error : new StartFailure(WARNING.internal(error));
      const fatal = new SupervisorError(this.name, failure.message, failure.cause);
      this.report('fatal', fatal.message);
      this.release();
      this.end({ code: EXIT_FATAL, error: fatal });
      throw fatal;
    }
    this.phase = 'running';
    this.loop().then(
      () => this.finishRun(),
      (error: unknown) => this.crash(error),
    );
  }

  /** Same effect as writing `bytes` to supervise/control (or log/supervise/control). */
  control(bytes: string | Uint8Array, which: Which = 'service'): void {
    const input = which === 'log' ? this.logControl : this.mainControl;
    if (!input) throw new Error(`${this.name}: no ${which === 'log' ? 'log ' : ''}control input (not running)`);
    input.push(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** What SIGTERM does to runsv (`x`): resolves once the service is down, the log drained and exited. */
  terminate(): Promise<SupervisorEnd> {
    if (this.phase === 'new') {
      this.phase = 'ended';
      this.end({ code: EXIT_OK });
    } else if (this.phase !== 'ended') {
      this.termRequested = true;
      this.wakeUp();
    }
    return this.ended;
  }

  status(): SupervisorStatus {
    return this.log ? { ...this.main.view(), log: this.log.view() } : this.main.view();
  }

  /** Pids of the running children: the service's ./run or ./finish and log/run (0 when none). */
  pids(): { service: number; log: number } {
    return { service: this.main.pid, log: this.log?.pid ?? 0 };
  }

  // ---- set-up, in runsv's order ----

  private async setUp(): Promise<void> {
    const dir = attempt(FATAL.chdir, () => ServiceDir.open(this.dir));
    this.serviceDir = dir;
    this.main.stamp = tai64nNow();
    if (existsSync(dir.at('down'))) this.main.want = 'down';
    this.examineLog(dir);
    makeSuperviseDir(dir, '', (text) => this.warn(text));
    const lock = openLock(dir, '');
    this.heldFds.push(lock);
    lockNow(lock, '');
    if (this.log) {
      makeSuperviseDir(dir, 'log/', (text) => this.warn(text));
      const logLock = openLock(dir, 'log/');
      this.heldFds.push(logLock);
      await lockEventually(logLock, 'log/');
    }
    this.mainControl = this.controlInput(dir, '');
    this.writeStatus(this.main);
    if (this.log) {
      this.logControl = this.controlInput(dir, 'log/');
      this.writeStatus(this.log);
    }
    this.heldFds.push(openOkFifo(dir, ''));
    if (this.log) this.heldFds.push(openOkFifo(dir, 'log/'));
  }

  private examineLog(dir: ServiceDir): void {
    let isDir: boolean;
    try {
      isDir = statSync(dir.at('log')).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(withError(WARNING.statLog, error));
      return;
    }
    if (!isDir) {
      this.warn(WARNING.logNotDir);
      return;
    }
    this.log = new ServiceRecord('log', this);
    this.log.stamp = tai64nNow();
    if (existsSync(dir.at('log/down'))) this.log.want = 'down';
    this.logPipe = attempt(FATAL.logPipe, () => new LogPipe());
  }

  private controlInput(dir: ServiceDir, prefix: Prefix): ControlInput {
    const fds = openControlFifo(dir, prefix);
    return new ControlInput(fds, () => this.wakeUp(), (error) => this.warn(withError(WARNING.readControl(prefix), error)));
  }

  // ---- the loop: runsv's main loop, one turn per wake-up ----

  private async loop(): Promise<void> {
    for (;;) {
      if (this.log && needsStart(this.log)) await startService(this.log);
      if (needsStart(this.main)) await startService(this.main);
      this.writeHeldStatus();
      await this.nextTurn();
      // runsv notices SIGTERM only while it polls: a request is "delivered" here, acted on below
      const sigterm = this.termRequested;
      this.termRequested = false;
      for (let reaped = this.exits.shift(); reaped; reaped = this.exits.shift()) await this.reap(reaped);
      await this.readControl(this.mainControl, this.main);
      if (this.log) await this.readControl(this.logControl, this.log);
      if (sigterm) await dispatch(this.main, 'exit');
      if (this.main.want === 'exit' && this.main.state === 'down') {
        if (!this.log || this.log.pid === 0) {
          this.writeHeldStatus();
          return;
        }
        if (this.log.want !== 'exit') {
          this.log.want = 'exit';
          this.log.writeStatus();
          this.closeLogPipe();
        }
      }
    }
  }

  private hasWork(): boolean {
    return this.exits.length > 0 || this.termRequested || (this.mainControl?.size ?? 0) > 0 || (this.logControl?.size ?? 0) > 0;
  }

  /** Waits for work; with work pending it still yields once, so that SIGCHLD can be reaped between bytes. */
  private nextTurn(): Promise<void> {
    if (this.hasWork()) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => (this.wake = resolve));
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async reap({ record, exit }: Reaped): Promise<void> {
    if (exit.pid !== record.pid) return; // a child runsv no longer tracks (replaced after `k`)
    record.execFailed = false;
    this.notify('exit', record.which, exit);
    await childExited(record, exit.status);
  }

  private async readControl(input: ControlInput | undefined, record: ServiceRecord): Promise<void> {
    const byte = input?.take();
    if (byte === undefined) return;
    const event = controlEvent(byte, record.isLog);
    if (event) await dispatch(record, event);
  }

  // ---- effects the state machine asks for (RecordOwner) ----

  /**
   * Writes supervise/pid, stat and status, as runsv does at each change, in the same order. One
   * thing is moved: when the change leaves the service needing a start (down and wanted up, or
   * ./finish due), the write is held until that start has spawned its child. runsv writes first and
   * forks after, which puts three renames (each a flush on ext4) between a crash and the restart;
   * here the files still go through every state in runsv's order, and the service is back sooner.
   * A held write is made before anything else is written, waited for or run for that service.
   */
  writeStatus(record: ServiceRecord): void {
    this.writeHeldStatus(record);
    const snapshot: StatusSnapshot = { status: statusOf(record), view: record.view(), pidChanged: this.pidChanged };
    if (this.phase === 'running' && needsStart(record)) this.held.set(record, snapshot);
    else this.writeSnapshot(record, snapshot);
  }

  /** Makes the held write of one record, or of every record (called often: nothing held is the usual case). */
  private writeHeldStatus(record?: ServiceRecord): void {
    if (this.held.size === 0) return;
    if (!record) {
      for (const each of [...this.held.keys()]) this.writeHeldStatus(each);
      return;
    }
    const snapshot = this.held.get(record);
    if (!snapshot) return;
    this.held.delete(record);
    this.writeSnapshot(record, snapshot);
  }

  private writeSnapshot(record: ServiceRecord, snapshot: StatusSnapshot): void {
    const dir = this.serviceDir;
    if (!dir) return;
    const prefix = record.isLog ? 'log/' : '';
    const wrote = writeStatusFiles(dir, prefix, snapshot.status, snapshot.pidChanged, (text) => this.warn(text));
    // runsv keeps its flag when the pid file could not be written; a pid set since the snapshot keeps it too
    if (!wrote) this.pidChanged = true;
    else if (snapshot.pidChanged && record.pid === snapshot.status.pid) this.pidChanged = false;
    this.notify('state', record.which, snapshot.view);
  }

  finishReadable(): boolean {
    const finish = this.serviceDir!.at('finish');
    // most services have no ./finish: existsSync says so without an exception on every restart
    if (!existsSync(finish)) return false;
    try {
      closeSync(openSync(finish, READ_NB));
      return true;
    } catch {
      return false;
    }
  }

  holdOneSecond(): Promise<void> {
    this.writeHeldStatus();
    return new Promise((resolve) => (this.holdTimer = setTimeout(resolve, 1000)));
  }

  async launch(record: ServiceRecord): Promise<void> {
    const dir = this.serviceDir!;
    const finishing = record.state === 'finish';
    if (this.logPipe && !this.logPipe.open) {
      // the exit sequence closed the log pipe and something asked for a start again
      this.writeHeldStatus(record);
      this.execFailed(record, withError(CHILD.setupFd(record.isLog ? './log/run' : './run'), 'EBADF'));
      return;
    }
    const plan: ChildPlan = {
      file: finishing ? './finish' : './run',
      argv: finishing ? ['./finish', ...finishArguments(record.wstat)] : ['./run'],
      cwd: record.isLog ? dir.at('log') : dir.base,
      env: this.env,
      stdio: this.childStdio(record.isLog),
      newSession: this.newSession,
    };
    for (;;) {
      const started = startChild(plan);
      if ('pid' in started) {
        record.pid = started.pid;
        this.watch(started.pid, (exit) => {
          this.exits.push({ record, exit });
          this.wakeUp();
        });
        this.writeHeldStatus(record);
        return;
      }
      this.writeHeldStatus(record);
      if ('execError' in started) {
        this.execFailed(record, withError(this.execFailureText(record, finishing), started.execError));
        return;
      }
      this.warn(withError(WARNING.forkSleeping, started.forkError));
      await new Promise((resolve) => setTimeout(resolve, FORK_RETRY_MS));
    }
  }

  /** runit's child printed `text` and exited 111: the same, without a child. */
  private execFailed(record: ServiceRecord, text: string): void {
    this.report('fatal', text);
    record.pid = 0;
    record.execFailed = true;
    this.exits.push({ record, exit: exitedWith(0, EXEC_FAILED_CODE) });
  }

  runCustom(letter: string): Promise<boolean> {
    const dir = this.serviceDir!;
    return runControlHandler(letter, {
      path: (relative) => dir.at(relative),
      child: { cwd: dir.base, env: this.env, stdio: this.childStdio(false), newSession: this.newSession },
      warn: (text) => this.warn(text),
      childFatal: (text) => this.report('fatal', text),
      waitExit: (pid) => new Promise((resolve) => this.watch(pid, resolve)),
      beforeRun: () => this.writeHeldStatus(),
    });
  }

  // ---- helpers ----

  private childStdio(forLog: boolean): Stdio {
    return this.logPipe ? this.logPipe.stdio(forLog, this.stdio) : this.stdio;
  }

  private execFailureText(record: ServiceRecord, finishing: boolean): string {
    if (!record.isLog) return finishing ? CHILD.startFinish : CHILD.startRun;
    try {
      if (statSync(this.serviceDir!.at('log')).isDirectory()) return CHILD.startLogRun;
    } catch {
      // fall through: the child could not chdir into log/
    }
    return CHILD.chdirLog;
  }

  private watch(pid: number, handler: (exit: ExitStatus) => void): void {
    this.watched.add(pid);
    reaper.watch(pid, (exit) => {
      this.watched.delete(pid);
      handler(exit);
    });
  }

  private closeLogPipe(): void {
    this.logPipe?.close((end, error) => this.warn(withError(WARNING.closeLogPipe(end), error)));
  }

  /** Emits an event; a listener that throws is reported and cannot break the supervisor. */
  private notify<E extends keyof SupervisorEvents>(event: E, ...args: SupervisorEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: SupervisorEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      this.warn(WARNING.listener(event, error));
    }
  }

  private warn(text: string): void {
    this.report('warning', text);
  }

  private report(level: DiagnosticLevel, text: string): void {
    const diagnostic: Diagnostic = { level, service: this.name, text };
    try {
      this.diagnostics(diagnostic);
      this.emit('diagnostic', diagnostic);
    } catch {
      // a failing sink or listener cannot be reported anywhere else
    }
  }

  private finishRun(): void {
    this.release();
    this.end({ code: EXIT_OK });
  }

  /** A bug in this supervisor: report it, let go of everything; other supervisors go on. */
  private crash(error: unknown): void {
    const fatal = new SupervisorError(this.name, WARNING.internal(error), error);
    this.report('fatal', fatal.message);
    this.release();
    this.end({ code: EXIT_FATAL, error: fatal });
  }

  /** Closes every fd (FIFOs, locks, log pipe, dir) and stops tracking children. */
  private release(): void {
    clearTimeout(this.holdTimer);
    const { mainControl, logControl, serviceDir } = this;
    this.mainControl = this.logControl = this.serviceDir = this.wake = undefined;
    quietly(() => mainControl?.close());
    quietly(() => logControl?.close());
    for (const fd of this.heldFds.splice(0)) quietly(() => closeSync(fd));
    quietly(() => this.logPipe?.close());
    for (const pid of this.watched) reaper.unwatch(pid);
    this.watched.clear();
    quietly(() => serviceDir?.close());
  }

  private end(end: SupervisorEnd): void {
    this.phase = 'ended';
    this.resolveEnded(end);
    this.notify('end', end);
  }
}

const statusOf = (record: ServiceRecord): StatusRecord => ({
  state: record.state,
  want: record.want,
  paused: record.paused,
  gotTerm: record.gotTerm,
  pid: record.pid,
  stamp: record.stamp,
});

/** Releasing must go on past any single failure (an fd already closed, say). */
function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // nothing more to release there
  }
}

// ServiceSupervisor: runsv for one service dir, without a process of its own, so that one host
// process can hold many. It keeps runsv's loop and ordering; its waits never block the host.
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, statSync } from 'node:fs';
import { decodeWaitStatus, forKernel, reaper, type EnvEntry, type ExitStatus } from '@runit-ts/native';
import { tai64nNow } from '@runit-ts/protocol';
import { ControlInput } from './control-fifo.js';
import { createDiagnostics, type Diagnostic, type DiagnosticLevel, type DiagnosticSink } from './diagnostics.js';
import { adoptedPipePath, lookForLeftBehind, recoverLogPipe, reopenPipe, type Found } from './adoption.js';
import { attempt, StartFailure, SupervisorError } from './errors.js';
import { fdRoomFor, fdsForSupervisor } from './fd-headroom.js';
import { foreignChildren } from './foreign-children.js';
import { EXIT_FATAL, EXIT_OK } from './exit.js';
import { ExtraStatusFile } from './extra-status-file.js';
import { LogPipe, type Stdio } from './log-pipe.js';
import { FATAL, PROGRAM, WARNING } from './messages.js';
import { NeedsGate } from './needs-gate.js';
import { ServiceChildren } from './service-children.js';
import { optedIn, ServiceConfigReader } from './service-config.js';
import { childExited, controlEvent, dispatch, handlerExited, needsStart, type Effects, type Event } from './service-machine.js';
import { ServiceDir } from './service-dir.js';
import { sharedEnvArray } from './shared-env.js';
import { quietly } from './quietly.js';
import { newRecord, statusView, type ServiceRecord, type Which } from './service-record.js';
import { writeStatusFiles } from './status-files.js';
import { StatusWriter } from './status-writer.js';
import { lockEventually, lockNow, makeSuperviseDir, openControlFifo, openLock, openOkFifo, StoppedWaiting, tryLock, type Prefix } from './supervise-dir.js';
import type { LogHandOff, ServiceOutput, ServiceStatus, SupervisorEnd, SupervisorEvents, SupervisorOptions, SupervisorStatus } from './supervisor-types.js';

export type { ServiceOutput, ServiceStatus, SupervisorEnd, SupervisorEvents, SupervisorOptions, SupervisorStatus };

interface Reaped {
  which: Which;
  exit: ExitStatus;
}

type Phase = 'new' | 'starting' | 'running' | 'ended';

const CLOCK = { stamp: tai64nNow, now: () => performance.now(), epochMs: () => Date.now() };
/** How often a supervisor waiting for a held supervise/lock tries again (runsvdir's restart period). */
const LOCK_RETRY_MS = 1000;
/** How often a supervisor waiting for room in the fd table tries again (the same period). */
const FD_RETRY_MS = 1000;
const prefixOf = (which: Which): Prefix => (which === 'log' ? 'log/' : '');

export class ServiceSupervisor extends EventEmitter<SupervisorEvents> {
  readonly dir: string;
  readonly name: string;
  /** Resolves once the supervisor has ended and released everything. */
  readonly ended: Promise<SupervisorEnd>;

  private phase: Phase = 'new';
  private readonly main = newRecord('service', 'up', tai64nNow());
  private log: ServiceRecord | undefined;
  private serviceDir: ServiceDir | undefined;
  private logPipe: LogPipe | undefined;
  private effects: (Effects & { children: ServiceChildren; status: StatusWriter }) | undefined;
  private readonly heldFds: number[] = [];
  private mainControl: ControlInput | undefined;
  private logControl: ControlInput | undefined;
  private readonly exits: Reaped[] = [];
  private wake: (() => void) | undefined;
  private termRequested = false;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** Wakes the loop for a restart policy's wait or a needs timeout, which do not block it. */
  private policyTimer: NodeJS.Timeout | undefined;
  private needs: NeedsGate | undefined;
  private readonly env: EnvEntry[];
  private readonly logHandOff: LogHandOff | undefined;
  private stdio: Stdio;
  private readonly openOutput: SupervisorOptions['openOutput'];
  private output: ServiceOutput | undefined;
  private readonly newSession: boolean;
  private readonly childOomScoreAdj: number | undefined;
  private readonly childFileLimit: number | undefined;
  private readonly orphansParent: number | undefined;
  private readonly waitForLock: boolean;
  private readonly waitForFds: boolean;
  private keptLogPipe: number | undefined;
  private readonly diagnostics: DiagnosticSink;
  private resolveEnded!: (end: SupervisorEnd) => void;

  constructor(options: SupervisorOptions) {
    super();
    if (typeof options?.dir !== 'string') throw new TypeError(`option "dir" must be a string, got ${String(options?.dir)} (${typeof options?.dir})`);
    this.dir = options.dir;
    this.name = options.name ?? options.dir;
    this.env = sharedEnvArray(options.env ?? process.env);
    this.logHandOff = options.logHandOff;
    this.openOutput = options.openOutput;
    this.stdio = [options.stdinFd ?? 0, options.stdoutFd ?? 1, options.stderrFd ?? 2];
    this.newSession = options.newSession === true;
    this.childOomScoreAdj = options.childOomScoreAdj;
    this.childFileLimit = options.childFileLimit;
    this.orphansParent = options.orphansParent;
    this.waitForLock = options.waitForLock === true;
    this.waitForFds = options.waitForFds === true;
    this.keptLogPipe = options.logPipeFd;
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
      // the room is looked at in the same turn as the set-up's opens: other supervisors started in
      // this turn look after it
      const lacking = this.waitForFds ? fdRoomFor(this.fdsNeeded()) : undefined;
      if (lacking) await this.fdRoom(lacking);
      await this.setUp();
    } catch (error) {
      if (error instanceof StoppedWaiting) {
        // told to stop while waiting for a lock: nothing was started, nothing is reported
        this.release();
        this.end({ code: EXIT_OK });
        return;
      }
      const failure = error instanceof StartFailure ? error : new StartFailure(WARNING.internal(error));
      const fatal = new SupervisorError(this.name, failure.message, failure.cause);
      this.report('fatal', failure.text, failure.cause);
      this.release();
      this.end({ code: EXIT_FATAL, error: fatal });
      throw fatal;
    }
    this.phase = 'running';
    this.loop().then(
      () => void this.finishRun(),
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
      // while starting, a wait for a lock sees it and gives up
      this.termRequested = true;
      this.wakeUp();
    }
    return this.ended;
  }

  status(): SupervisorStatus {
    return this.log ? { ...statusView(this.main), log: statusView(this.log) } : statusView(this.main);
  }

  /** Pids of the running children: the service's ./run or ./finish and log/run (0 when none). */
  pids(): { service: number; log: number } {
    return { service: this.main.pid, log: this.log?.pid ?? 0 };
  }

  // ---- set-up, in runsv's order ----

  /**
   * In a host: waits, one warning and one try a second (runsv's pace when runsvdir restarts it), until
   * the fd table has room for this supervisor and some left for the others.
   */
  /** What this supervisor will open, and what must be left for its neighbours. */
  private fdsNeeded(): number {
    return fdsForSupervisor(this.dir);
  }

  private async fdRoom(first: NodeJS.ErrnoException): Promise<void> {
    for (let lacking: NodeJS.ErrnoException | undefined = first; lacking; lacking = fdRoomFor(this.fdsNeeded())) {
      this.warn(WARNING.waitingForFds, lacking);
      if (this.termRequested) throw new StoppedWaiting();
      await new Promise((resolve) => (this.deadlineTimer = setTimeout(resolve, FD_RETRY_MS)));
      if (this.termRequested) throw new StoppedWaiting();
    }
  }

  private async setUp(): Promise<void> {
    const dir = attempt(FATAL.chdir, () => ServiceDir.open(this.dir));
    this.serviceDir = dir;
    this.main.stamp = tai64nNow();
    if (existsSync(dir.at('down'))) this.main.want = 'down';
    this.examineLog(dir);
    makeSuperviseDir(dir, '', (text) => this.warn(text));
    const lock = openLock(dir, '');
    this.heldFds.push(lock);
    // without a wait, the set-up is one synchronous turn (see start)
    if (!this.waitForLock) lockNow(lock, '');
    else if (!tryLock(lock, '')) await lockEventually(lock, '', LOCK_RETRY_MS, () => this.warn(WARNING.lockHeld), () => this.termRequested);
    if (this.log) {
      makeSuperviseDir(dir, 'log/', (text) => this.warn(text));
      const logLock = openLock(dir, 'log/');
      this.heldFds.push(logLock);
      if (!tryLock(logLock, 'log/')) await lockEventually(logLock, 'log/', undefined, undefined, () => this.termRequested);
    }
    // with the locks held, no other supervisor runs this dir: what a dead one left is ours to take
    const found = this.records.map((record) => this.takeOver(dir, record));
    // an adopted service writes on into the pipe it has: the output is opened on that one
    this.output = this.openOutput?.(adoptedPipePath(this.main.pid, 1));
    if (this.output) this.stdio = [this.stdio[0], this.output.writeFd, this.stdio[2]];
    this.takeOverLogPipe();
    const extraFile = new ExtraStatusFile(dir, (text) => this.warn(text));
    extraFile.removeStale();
    const status = new StatusWriter(
      (which, record, pidChanged) => writeStatusFiles(dir, prefixOf(which), record, pidChanged, (text) => this.warn(text)),
      (which, view) => this.notify('state', which, view),
      (record) => extraFile.write(record),
    );
    const config = new ServiceConfigReader(dir, (text, error) => this.warn(text, error));
    const needs = new NeedsGate(this.dir, () => this.wakeUp(), (text, error) => this.warn(text, error));
    this.needs = needs;
    const children = new ServiceChildren({
      dir,
      env: this.env,
      stdio: this.stdio,
      newSession: this.newSession,
      oomScoreAdj: this.childOomScoreAdj,
      fileLimit: this.childFileLimit,
      logPipe: this.logPipe,
      logHandOff: this.logHandOff,
      warn: (text, error) => this.warn(text, error),
      childFatal: (text, error) => this.report('fatal', text, error),
      exited: (which, exit) => {
        this.exits.push({ which, exit });
        this.wakeUp();
      },
      ready: (pid) => this.readyNotified(pid),
    });
    const starts = {
      prepare: (record: ServiceRecord): string[] => {
        const read = config.read();
        record.extra.config = read;
        if (optedIn(read)) record.extra.tracked = true;
        if (read.needs.length > 0) return needs.unmet(read.needs);
        needs.close();
        return [];
      },
    };
    this.effects = { status, children, starts, clock: CLOCK, warn: (text) => this.warn(text) };
    this.mainControl = this.controlInput(dir, '');
    status.write(this.main);
    if (this.log) {
      this.logControl = this.controlInput(dir, 'log/');
      status.write(this.log);
    }
    this.heldFds.push(openOkFifo(dir, ''));
    if (this.log) this.heldFds.push(openOkFifo(dir, 'log/'));
    this.records.forEach((record, i) => this.settleTakeOver(record, found[i]!));
    if (this.logPipe?.fds) this.notify('logPipe', 'open', this.logPipe.fds);
  }

  /** Restores a record from what a supervisor that died left (see adoption.ts). */
  private takeOver(dir: ServiceDir, record: ServiceRecord): Found {
    const found = lookForLeftBehind(dir, prefixOf(record.which), {
      orphansParent: this.orphansParent,
      relayed: (pid) => foreignChildren.takeRelayed(pid),
    });
    if (found.kind === 'fresh') return found;
    const { left } = found;
    Object.assign(record, { state: left.state, want: left.want, paused: left.paused, gotTerm: left.gotTerm, stamp: left.stamp });
    record.pid = left.pid;
    // not provably ours: stopped as `d` stops a service, then restarted as after `k`
    if (found.kind === 'running' && found.verdict === 'unproven') record.state = 'down';
    return found;
  }

  /** Adopted children get watched (an unproven one is stopped); a relayed end is reaped as any. */
  private settleTakeOver(record: ServiceRecord, found: Found): void {
    const fx = this.effects!;
    if (found.kind === 'running') {
      fx.children.adopt(record.which, record.pid, found.pidfd, found.parent);
      if (found.verdict === 'unproven') {
        this.warn(WARNING.unproven(record.which, record.pid));
        fx.children.kill(record, 'SIGTERM');
        fx.children.kill(record, 'SIGCONT');
      }
    } else if (found.kind === 'ended') {
      // reaped by the loop's first turn, as if it had ended under this supervisor
      this.exits.push({ which: record.which, exit: decodeWaitStatus(record.pid, found.status) });
    }
  }

  /**
   * The log pipe a dead supervisor had: kept by runsvdir, else still held by the adopted children.
   * Lines written into it and not yet read are then read by the logger, as with a restarted runsv.
   */
  private takeOverLogPipe(): void {
    const kept = this.keptLogPipe;
    this.keptLogPipe = undefined;
    if (!this.logPipe) {
      if (kept !== undefined) quietly(() => closeSync(kept));
      return;
    }
    let ends: [number, number] | undefined;
    if (kept !== undefined) {
      ends = reopenPipe(`/proc/self/fd/${kept}`);
      quietly(() => closeSync(kept));
    }
    ends ??= recoverLogPipe(this.main.pid, this.log!.pid);
    if (!ends) return;
    this.logPipe.close();
    this.logPipe = new LogPipe(ends);
  }

  private examineLog(dir: ServiceDir): void {
    let isDir: boolean;
    try {
      isDir = statSync(dir.at('log')).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(WARNING.statLog, error);
      return;
    }
    if (!isDir) {
      this.warn(WARNING.logNotDir);
      return;
    }
    this.log = newRecord('log', existsSync(dir.at('log/down')) ? 'down' : 'up', tai64nNow());
    this.logPipe = attempt(FATAL.logPipe, () => new LogPipe());
  }

  private controlInput(dir: ServiceDir, prefix: Prefix): ControlInput {
    const fd = openControlFifo(dir, prefix);
    return new ControlInput(fd, () => this.wakeUp(), (error) => this.warn(WARNING.readControl(prefix), error));
  }

  // ---- the loop: runsv's main loop, one turn per wake-up ----

  /** The records in runsv's start order: the log first. */
  private get records(): ServiceRecord[] {
    return this.log ? [this.log, this.main] : [this.main];
  }

  private async loop(): Promise<void> {
    const { main } = this;
    for (;;) {
      for (const record of this.records) {
        const event = needsStart(record) ? this.startEvent(record) : undefined;
        if (event) await this.act(record, event);
      }
      await this.nextTurn();
      // runsv notices SIGTERM only while it polls: a request is "delivered" here, acted on below
      const sigterm = this.termRequested;
      this.termRequested = false;
      for (let reaped = this.exits.shift(); reaped; reaped = this.exits.shift()) await this.reap(reaped);
      await this.readControl(this.mainControl, main);
      if (this.log) await this.readControl(this.logControl, this.log);
      if (sigterm) await this.act(main, 'exit');
      if (main.want === 'exit' && main.state === 'down') {
        if (!this.log || this.log.pid === 0) return;
        if (this.log.want !== 'exit') {
          this.log.want = 'exit';
          this.effects!.status.write(this.log);
          this.closeLogPipe();
        }
      }
    }
  }

  /** Dispatches an event, then makes the waits it left (a handler, a deadline) as runsv makes them. */
  private async act(record: ServiceRecord, event: Event): Promise<void> {
    dispatch(record, this.effects!, event);
    await this.settle();
  }

  /**
   * runsv waits for a control handler, and sleeps after a short run or a failed fork, before it does
   * anything else: while a record waits so, nothing else happens to this supervisor (bytes that
   * arrive meanwhile are read after it, one per turn, in order); other supervisors go on.
   */
  private async settle(): Promise<void> {
    const fx = this.effects!;
    for (;;) {
      const awaiting = this.records.find((r) => r.awaiting !== undefined);
      if (awaiting) {
        fx.status.flush();
        handlerExited(awaiting, fx, await fx.children.handlerExit());
        continue;
      }
      const due = this.records.find((r) => r.notBefore !== 0);
      if (!due) return;
      fx.status.flush();
      await new Promise((resolve) => (this.deadlineTimer = setTimeout(resolve, Math.max(0, due.notBefore - fx.clock.now()))));
      dispatch(due, fx, 'deadline');
    }
  }

  /**
   * How a service that needs a start goes on: not yet while a restart policy's wait lasts (the timer
   * of nextTurn wakes the loop), a failed start once its needs were waited for too long, else start.
   */
  private startEvent(record: ServiceRecord): Event | undefined {
    const x = record.extra;
    const now = CLOCK.now();
    if (x.startAfter > now) return undefined;
    x.startAfter = 0;
    if (x.waitingOn.length > 0 && now - x.waitingSince >= x.config.needsTimeoutMs) return 'needsTimeout';
    return 'start';
  }

  /** When the loop must look again although nothing happened: a backoff's end, a needs timeout. */
  private policyWakeAt(): number | undefined {
    let at: number | undefined;
    for (const record of this.records) {
      if (!needsStart(record)) continue;
      const x = record.extra;
      const due = x.startAfter !== 0 ? x.startAfter : x.waitingOn.length > 0 ? x.waitingSince + x.config.needsTimeoutMs : undefined;
      if (due !== undefined && (at === undefined || due < at)) at = due;
    }
    return at;
  }

  /** ./run said it is ready; a word from a child that has since been replaced is dropped. */
  private readyNotified(pid: number): void {
    const { main } = this;
    if (this.phase !== 'running' || main.pid !== pid || main.state !== 'run') return;
    dispatch(main, this.effects!, 'ready');
    this.notify('ready', pid);
  }

  private hasWork(): boolean {
    return this.exits.length > 0 || this.termRequested || (this.mainControl?.size ?? 0) > 0 || (this.logControl?.size ?? 0) > 0;
  }

  /** Waits for work, after the writes held for a start; with work pending it still yields once, so that SIGCHLD can be reaped between bytes. */
  private nextTurn(): Promise<void> {
    this.effects!.status.flush();
    if (this.hasWork()) return new Promise((resolve) => setImmediate(resolve));
    const at = this.policyWakeAt();
    if (at !== undefined) this.policyTimer = setTimeout(() => this.wakeUp(), Math.max(0, at - CLOCK.now()));
    return new Promise((resolve) => (this.wake = resolve));
  }

  private wakeUp(): void {
    clearTimeout(this.policyTimer);
    this.policyTimer = undefined;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async reap({ which, exit }: Reaped): Promise<void> {
    const record = which === 'log' ? this.log! : this.main;
    if (exit.pid !== record.pid) return; // a child runsv no longer tracks (replaced after `k`)
    this.notify('exit', which, exit);
    childExited(record, this.effects!, exit.status);
    await this.settle();
  }

  /**
   * runsv reads one byte per turn. A byte that is no command does nothing, so the bytes up to the next
   * command (or all that wait) are read in this turn: megabytes of them cost one turn per read, not
   * one per byte, with the same outcome.
   */
  private async readControl(input: ControlInput | undefined, record: ServiceRecord): Promise<void> {
    for (let byte = input?.take(); byte !== undefined; byte = input!.take()) {
      const event = controlEvent(byte, record.which === 'log');
      if (event) return this.act(record, event);
    }
  }

  // ---- helpers ----

  private closeLogPipe(): void {
    const fds = this.logPipe?.fds;
    // first, so that whoever keeps a copy for a successor lets go of it too (the logger's end of file)
    if (fds) this.notify('logPipe', 'closed', fds);
    this.logPipe?.close((end, error) => this.warn(WARNING.closeLogPipe(end), error));
  }

  /** Emits an event; a listener that throws is reported and cannot break the supervisor. */
  private notify<E extends keyof SupervisorEvents>(event: E, ...args: SupervisorEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: SupervisorEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      this.warn(WARNING.listener(event, error));
    }
  }

  private warn(text: string, error?: unknown): void {
    this.report('warning', text, error);
  }

  private report(level: DiagnosticLevel, text: string, error?: unknown): void {
    const diagnostic: Diagnostic = { level, program: PROGRAM, subject: this.name, text, ...(error === undefined ? {} : { error }) };
    try {
      this.diagnostics(diagnostic);
      this.emit('diagnostic', diagnostic);
    } catch {
      // a failing sink or listener cannot be reported anywhere else
    }
  }

  private async finishRun(): Promise<void> {
    // runsv closes its log pipe and exits only once the log service has: supervise/ stays held
    await this.endOutput();
    this.release();
    this.end({ code: EXIT_OK });
  }

  private endOutput(): Promise<void> {
    return this.output?.end().catch(() => undefined) ?? Promise.resolve();
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
    clearTimeout(this.deadlineTimer);
    clearTimeout(this.policyTimer);
    quietly(() => this.needs?.close());
    const { mainControl, logControl, serviceDir } = this;
    this.mainControl = this.logControl = this.serviceDir = this.wake = undefined;
    quietly(() => this.effects?.status.flush());
    quietly(() => mainControl?.close());
    quietly(() => logControl?.close());
    for (const fd of this.heldFds.splice(0)) quietly(() => closeSync(fd));
    quietly(() => this.logPipe?.close());
    this.effects?.children.release();
    quietly(() => serviceDir?.close());
  }

  /** Ended once the output is done too (at once after finishRun; a failed start or a crash waits here). */
  private end(end: SupervisorEnd): void {
    this.phase = 'ended';
    void this.endOutput().then(() => {
      this.resolveEnded(end);
      this.notify('end', end);
    });
  }
}


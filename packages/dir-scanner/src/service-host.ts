// The service host: the process runsvdir starts to hold a supervisor per service it asks for, in a
// SupervisorHost. It speaks runsvdir's pipe protocol, opens hosted logs, outlives runsvdir's SIGTERM
// (runit's runsv processes do) and ends once its last supervisor has.
import { closeSync, fstatSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { getrlimit } from '@runit-ts/native';
import {
  createDiagnostics,
  FDS_LEFT_FREE,
  FDS_PER_SERVICE,
  fdRoomFor,
  fdsForSupervisor,
  foreignChildren,
  SupervisorHost,
  type DiagnosticSink,
  type LogHandOff,
  type ServiceOutput,
} from '@runit-ts/supervisor';
import { fdWriter } from './diagnostics.js';
import { encodeLine, HOST_FD, readLines, type HostCommand, type HostEvent } from './host-protocol.js';
import { HostedLog, readHostedLog } from './hosted-log.js';
import type { HostedLogPlan } from './hosted-log-file.js';
import { serviceHostMessages as M } from './messages.js';

/**
 * The host offers log/run svlogd's hand-off unless RUNIT_TS_HOSTED_SVLOGD=off, which keeps every
 * svlogd a process, runit's exact tree (decision 0008).
 */
export const hostedSvlogdWanted = (env: NodeJS.ProcessEnv): boolean => env.RUNIT_TS_HOSTED_SVLOGD !== 'off';

export interface ServiceHostOptions {
  /** runsvdir -P: every child of every supervisor leads a session of its own. */
  newSession: boolean;
  /** The oom_score_adj of every service process, when the host lowered its own. */
  childOomScoreAdj?: number;
  /**
   * runsvdir's pid: it is a subreaper, so what a host that died left running is its child now, and it
   * relays their exits (the `exit` command). Undefined outside runsvdir (tests).
   */
  runsvdirPid?: number;
  /** fd 2 of every child, and where the supervisors' messages go. */
  stderrFd?: number;
  commandsFd?: number;
  eventsFd?: number;
  /** The log pipe's read end, to drain once runsvdir has gone so that services never block on it. */
  logDrainFd?: number;
  /** The offer to each log/run (svlogd's hand-off; undefined: every logger runs as a process). */
  logHandOff?: LogHandOff;
  /** Called once the host has nothing left to do (runsvdir gone, every supervisor ended). */
  done: () => void;
  /** Called after each command from runsvdir (a supervisor started or told to stop). */
  obeyed?: () => void;
}

/** The exit code runsvdir hears for a service that could not be started at all. */
const NOT_STARTED = 111;
/** How often a start put off for want of fds is tried again (a supervisor's own pace). */
const FD_RETRY_MS = 1000;
/** A hosted log's fds: the dir handle, the pipe's two ends, and per log dir its lock and `current`. */
const hostedLogFds = (dirs: number): number => 3 + 2 * dirs + FDS_PER_SERVICE + FDS_LEFT_FREE;

function atHardFileLimit(): boolean {
  try {
    const { soft, hard } = getrlimit('NOFILE');
    return soft >= hard;
  } catch {
    return false;
  }
}

export class ServiceHost {
  private readonly host: SupervisorHost<number>;
  private readonly diagnostics: DiagnosticSink;
  private readonly stderrFd: number;
  private readonly eventsFd: number;
  private orphaned = false;
  /** Pipes a dead host had for hosted logs, by id, until the supervisor opens the log (or ends first). */
  private readonly keptForHostedLog = new Map<number, number>();
  /** Starts put off for want of fds (a hosted log's), by id. */
  private readonly waitingForFds = new Map<number, NodeJS.Timeout>();

  constructor(private readonly options: ServiceHostOptions) {
    this.stderrFd = options.stderrFd ?? 2;
    this.eventsFd = options.eventsFd ?? HOST_FD.events;
    this.diagnostics = createDiagnostics(this.stderrFd);
    this.host = new SupervisorHost<number>({
      stderrFd: this.stderrFd,
      newSession: options.newSession,
      childOomScoreAdj: options.childOomScoreAdj,
      diagnostics: this.diagnostics,
      makeFdRoom: true,
      ...(options.logHandOff ? { logHandOff: options.logHandOff } : {}),
      waitForLock: true,
      waitForFds: true,
      orphansParent: options.runsvdirPid,
    });
    foreignChildren.relayFrom = options.runsvdirPid;
    this.host.on('ended', (_, end, id) => {
      this.dropKeptPipe(id);
      this.send({ op: 'release', id });
      this.send({ op: 'ended', id, code: end.code });
      this.doneIfIdle();
    });
    this.host.on('logPipe', (id, state, [read]) => this.keep(id, state === 'open' ? read : undefined));
    const commands = new Socket({ fd: options.commandsFd ?? HOST_FD.commands, readable: true, writable: false });
    readLines<HostCommand>(commands, (command) => this.obey(command), () => undefined);
    commands.on('end', () => this.runsvdirGone());
    commands.on('error', () => this.runsvdirGone());
  }

  /**
   * SIGTERM to the host itself: every supervisor stops as runsv does on SIGTERM, then the host exits
   * (runsvdir starts a new one, as it restarts runsv processes that exited).
   */
  terminateAll(): void {
    void this.host.terminateAll();
    this.doneIfIdle();
  }

  private doneIfIdle(): void {
    if ((this.orphaned || this.host.isStopping) && this.host.size === 0) this.options.done();
  }

  private obey(command: HostCommand): void {
    if (command.op === 'start') this.start(command.id, command.name, command.dir, command.pipe);
    else if (command.op === 'stop') this.stop(command.id);
    else if (command.op === 'exit') foreignChildren.relayed(command.pid, command.status);
    else if (command.op === 'drop') closeQuietly(command.fd);
    this.options.obeyed?.();
  }

  /** `keptPipe`: the log pipe a host that died had for this service, kept by runsvdir. */
  private start(id: number, name: string, dir: string, keptPipe: number | undefined): void {
    this.waitingForFds.delete(id);
    if (this.host.isStopping) {
      if (keptPipe !== undefined) closeQuietly(keptPipe);
      this.send({ op: 'ended', id, code: NOT_STARTED });
      return;
    }
    const plan = readHostedLog(dir, (why) => this.diagnostics(M.hostedLogIgnored(name, why)));
    const lacking = fdRoomFor(plan ? hostedLogFds(plan.dirs.length) : fdsForSupervisor(dir));
    if (lacking?.code === 'EMFILE' && atHardFileLimit()) {
      // this fd table is full for good (the soft limit was raised to the hard one as the host
      // started): the service gets a process, and a table, of its own
      if (keptPipe !== undefined) closeQuietly(keptPipe);
      this.send({ op: 'no-room', id });
      return;
    }
    if (lacking && plan) {
      // the system's table is full (ENFILE), or this one below a hard limit it could be raised to: a
      // hosted log opened now would be ignored, so the start waits, as a supervisor waits for room
      this.diagnostics(M.waitingForFds(name, lacking));
      this.waitingForFds.set(id, setTimeout(() => this.start(id, name, dir, keptPipe), FD_RETRY_MS));
      return;
    }
    // opened once the supervisor holds supervise/lock: a host still running the service (runsvdir
    // was started again) holds the log dirs' locks until then
    if (plan && keptPipe !== undefined) this.keptForHostedLog.set(id, keptPipe);
    const openOutput = plan
      ? (adoptedStdout?: string) => {
          // runsvdir's copy when it has one (the same pipe as the adopted service's)
          const kept = this.takeKeptPipe(id);
          return this.openHostedLog(id, name, dir, plan, kept ?? adoptedStdout);
        }
      : undefined;
    try {
      // a start that fails is reported by the supervisor, and its end comes through 'ended'
      this.host.add(dir, { key: id, name, ...(openOutput ? { openOutput } : { logPipeFd: keptPipe }) });
    } catch (error) {
      this.diagnostics(M.notStarted(name, error));
      if (plan) this.dropKeptPipe(id);
      else if (keptPipe !== undefined) closeQuietly(keptPipe);
      this.send({ op: 'ended', id, code: NOT_STARTED });
    }
  }

  private stop(id: number): void {
    const waiting = this.waitingForFds.get(id);
    if (waiting === undefined) return void this.host.get(id)?.terminate();
    clearTimeout(waiting);
    this.waitingForFds.delete(id);
    this.send({ op: 'ended', id, code: 0 });
  }

  /**
   * A service with a `hosted-log` file and no log/: its output goes to log dirs written in-process,
   * through the pipe a host that died had for it when there is one (see HostedLog.open).
   */
  private openHostedLog(id: number, name: string, dir: string, plan: HostedLogPlan, earlierPipe: number | string | undefined): ServiceOutput | undefined {
    let log: HostedLog | undefined;
    try {
      log = HostedLog.open(dir, plan, fdWriter(this.stderrFd), earlierPipe);
    } catch (error) {
      this.diagnostics(M.hostedLogFailed(name, error));
      return undefined;
    }
    if (!log) return undefined;
    this.keep(id, log.writeFd);
    const opened = log;
    return {
      writeFd: opened.writeFd,
      end: () => {
        this.keep(id, undefined);
        return opened.end();
      },
    };
  }

  private takeKeptPipe(id: number): number | undefined {
    const fd = this.keptForHostedLog.get(id);
    this.keptForHostedLog.delete(id);
    return fd;
  }

  private dropKeptPipe(id: number): void {
    const fd = this.takeKeptPipe(id);
    if (fd !== undefined) closeQuietly(fd);
  }

  /** Asks runsvdir to keep a copy of a service's pipe (`fd`), or to let go of it (undefined). */
  private keep(id: number, fd: number | undefined): void {
    if (fd === undefined) return this.send({ op: 'release', id });
    let ino: number;
    try {
      ino = fstatSync(fd).ino;
    } catch {
      return;
    }
    this.send({ op: 'keep', id, fd, ino });
  }

  private send(event: HostEvent): void {
    if (this.orphaned) return;
    try {
      writeSync(this.eventsFd, encodeLine(event));
    } catch {
      // runsvdir has gone; its end of the pipe will say so
    }
  }

  /** runsvdir exited: the supervisors carry on, as runit's runsv processes do, until each ends. */
  private runsvdirGone(): void {
    if (this.orphaned) return;
    this.orphaned = true;
    if (this.options.logDrainFd !== undefined) {
      const drain = new Socket({ fd: this.options.logDrainFd, readable: true, writable: false });
      drain.on('error', () => undefined);
      drain.resume();
    }
    this.doneIfIdle();
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // not open (a bad fd number): nothing to let go of
  }
}

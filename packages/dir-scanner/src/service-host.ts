// The service host: the process runsvdir starts to hold a supervisor per service it asks for, in a
// SupervisorHost. It speaks runsvdir's pipe protocol, opens hosted logs, outlives runsvdir's SIGTERM
// (runit's runsv processes do) and ends once its last supervisor has.
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { createDiagnostics, SupervisorHost, type DiagnosticSink, type LogHandOff } from '@runit-ts/supervisor';
import { fdWriter } from './diagnostics.js';
import { encodeLine, HOST_FD, readLines, type HostCommand } from './host-protocol.js';
import { HostedLog, readHostedLog } from './hosted-log.js';
import { serviceHostMessages as M } from './messages.js';

/**
 * The host offers log/run svlogd's hand-off unless RUNIT_TS_HOSTED_SVLOGD=off (then every svlogd is a
 * process, runit's exact tree).
 */
export const hostedSvlogdWanted = (env: NodeJS.ProcessEnv): boolean => env.RUNIT_TS_HOSTED_SVLOGD !== 'off';

export interface ServiceHostOptions {
  /** runsvdir -P: every child of every supervisor leads a session of its own. */
  newSession: boolean;
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

export class ServiceHost {
  private readonly host: SupervisorHost<number>;
  private readonly diagnostics: DiagnosticSink;
  private readonly stderrFd: number;
  private readonly eventsFd: number;
  private orphaned = false;

  constructor(private readonly options: ServiceHostOptions) {
    this.stderrFd = options.stderrFd ?? 2;
    this.eventsFd = options.eventsFd ?? HOST_FD.events;
    this.diagnostics = createDiagnostics(this.stderrFd);
    this.host = new SupervisorHost<number>({
      stderrFd: this.stderrFd,
      newSession: options.newSession,
      diagnostics: this.diagnostics,
      makeFdRoom: true,
      ...(options.logHandOff ? { logHandOff: options.logHandOff } : {}),
    });
    this.host.on('ended', (_, end, id) => {
      this.send(id, end.code);
      this.doneIfIdle();
    });
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
    if (command.op === 'start') this.start(command.id, command.name, command.dir);
    else if (command.op === 'stop') void this.host.get(command.id)?.terminate();
    this.options.obeyed?.();
  }

  private start(id: number, name: string, dir: string): void {
    if (this.host.isStopping) {
      this.send(id, NOT_STARTED);
      return;
    }
    const output = this.openHostedLog(name, dir);
    try {
      // a start that fails is reported by the supervisor, and its end comes through 'ended'
      this.host.add(dir, { key: id, name, output });
    } catch (error) {
      this.diagnostics(M.notStarted(name, error));
      void output?.end();
      this.send(id, NOT_STARTED);
    }
  }

  /** A service with a `hosted-log` file and no log/: its output goes to log dirs written in-process. */
  private openHostedLog(name: string, dir: string): HostedLog | undefined {
    const ignored = (why: string): void => this.diagnostics(M.hostedLogIgnored(name, why));
    const plan = readHostedLog(dir, ignored);
    if (!plan) return undefined;
    try {
      return HostedLog.open(dir, plan, fdWriter(this.stderrFd));
    } catch (error) {
      this.diagnostics(M.hostedLogFailed(name, error));
      return undefined;
    }
  }

  private send(id: number, code: number): void {
    if (this.orphaned) return;
    try {
      writeSync(this.eventsFd, encodeLine({ op: 'ended', id, code }));
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

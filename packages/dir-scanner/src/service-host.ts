// The service host: one process holding a ServiceSupervisor per service that runsvdir asks for. It
// outlives runsvdir's SIGTERM (runit's runsv processes do), and ends once its last supervisor has.
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { getrlimit, setrlimit } from '@runit-ts/native';
import { ServiceSupervisor, type SupervisorEnd } from '@runit-ts/supervisor';
import { fdWriter } from './diagnostics.js';
import { encodeLine, HOST_FD, readLines, type HostCommand } from './host-protocol.js';
import { HostedLog, readHostedLog } from './hosted-log.js';

export interface ServiceHostOptions {
  /** runsvdir -P: every child of every supervisor leads a session of its own. */
  newSession: boolean;
  /** fd 2 of every child, and where the supervisors' messages go. */
  stderrFd?: number;
  commandsFd?: number;
  eventsFd?: number;
  /** The log pipe's read end, to drain once runsvdir has gone so that services never block on it. */
  logDrainFd?: number;
  /** Called once the host has nothing left to do (runsvdir gone, every supervisor ended). */
  done: () => void;
  /** Called after each command from runsvdir (a supervisor started or told to stop). */
  obeyed?: () => void;
}

/** Open fds a supervisor may hold (lock, FIFOs, log pipe, for service and log), with room to spare. */
const FDS_PER_SERVICE = 16;
const FDS_SPARE = 64;

export class ServiceHost {
  private readonly supervisors = new Map<number, ServiceSupervisor>();
  private readonly hostedLogs = new Map<number, HostedLog>();
  private orphaned = false;
  private terminating = false;
  private readonly eventsFd: number;

  constructor(private readonly options: ServiceHostOptions) {
    this.eventsFd = options.eventsFd ?? HOST_FD.events;
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
    this.terminating = true;
    for (const supervisor of this.supervisors.values()) void supervisor.terminate();
    this.doneIfIdle();
  }

  private doneIfIdle(): void {
    if ((this.orphaned || this.terminating) && this.supervisors.size === 0) this.options.done();
  }

  private obey(command: HostCommand): void {
    if (command.op === 'start') this.start(command.id, command.name, command.dir);
    else if (command.op === 'stop') void this.supervisors.get(command.id)?.terminate();
    this.options.obeyed?.();
  }

  private start(id: number, name: string, dir: string): void {
    if (this.terminating) {
      this.send(id, 111);
      return;
    }
    this.makeFdRoom(this.supervisors.size + 1);
    const hostedLog = this.openHostedLog(name, dir);
    let supervisor: ServiceSupervisor;
    try {
      supervisor = new ServiceSupervisor({
        dir,
        name,
        stderrFd: this.stderrFd,
        newSession: this.options.newSession,
        ...(hostedLog ? { stdoutFd: hostedLog.writeFd } : {}),
      });
    } catch (error) {
      this.report(`runsv ${name}: fatal: ${String(error)}\n`);
      void hostedLog?.end();
      this.send(id, 111);
      return;
    }
    if (hostedLog) this.hostedLogs.set(id, hostedLog);
    this.supervisors.set(id, supervisor);
    void supervisor.ended.then((end) => this.ended(id, end));
    // a failed start is already printed as runsv prints it, and ends the supervisor
    supervisor.start().catch(() => undefined);
  }

  /** A service with a `hosted-log` file and no log/: its output goes to log dirs written in-process. */
  private openHostedLog(name: string, dir: string): HostedLog | undefined {
    const warn = (text: string): void => this.report(`runsv ${name}: warning: ${text}\n`);
    const plan = readHostedLog(dir, warn);
    if (!plan) return undefined;
    try {
      return HostedLog.open(dir, plan, fdWriter(this.stderrFd));
    } catch (error) {
      warn(`hosted-log ignored: ${String(error)}`);
      return undefined;
    }
  }

  /** The supervisor ended; with a hosted log, the end is reported once the log is drained and closed. */
  private async ended(id: number, end: SupervisorEnd): Promise<void> {
    const hostedLog = this.hostedLogs.get(id);
    if (hostedLog) {
      await hostedLog.end();
      this.hostedLogs.delete(id);
    }
    this.supervisors.delete(id);
    this.send(id, end.code);
    this.doneIfIdle();
  }

  private get stderrFd(): number {
    return this.options.stderrFd ?? 2;
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

  /** Raises the soft limit on open files when the services need it (runit's fd-per-process has no such limit). */
  private makeFdRoom(services: number): void {
    const needed = FDS_SPARE + FDS_PER_SERVICE * services;
    try {
      const { soft, hard } = getrlimit('NOFILE');
      if (soft < needed && soft < hard) setrlimit('NOFILE', { soft: Math.min(hard, needed * 2), hard });
    } catch {
      // left as it is: a supervisor that runs out of fds says so itself
    }
  }

  private report(line: string): void {
    fdWriter(this.stderrFd)(line);
  }
}

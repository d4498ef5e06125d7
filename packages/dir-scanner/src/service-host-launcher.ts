// The in-process mode, runsvdir's side: every service is a supervisor inside one service-host process
// that runsvdir starts (and starts again at once if it dies), told what to do over a pipe. runsvdir is
// the subreaper of the tree: a dead host's services become its children, their exits are relayed to
// the next host, which adopts them, and the log pipes it keeps copies of go to that host too.
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { pipe, reaper, spawn } from '@runit-ts/native';
import { fileLimitEntry, type DiagnosticSink } from '@runit-ts/supervisor';
import { encodeLine, HOST_FD, readLines, type HostCommand, type HostEvent } from './host-protocol.js';
import { FdHolder } from './fd-holder.js';
import { KeptPipes } from './kept-pipes.js';
import { LaunchError, type HostedService, type ServiceLauncher, type ServiceToLaunch } from './service-launcher.js';
import { runsvdirMessages as M } from './messages.js';
import type { Program } from './programs.js';

export interface ServiceHostLauncherOptions {
  /** The services directory as given (messages name it so, and so does the host's title). */
  svdir: string;
  /** The host program (a Node script, see programs.ts). */
  host: Program;
  newSession: boolean;
  /** Their oom_score_adj when runsvdir lowered its own: the value runsvdir was started with. */
  childOomScoreAdj?: number;
  /** Their soft limit on open files when runsvdir raised its own: the one runsvdir was started with. */
  childFileLimit?: number;
  /** fd 2 of the host and of every service: runsvdir's stderr, or the log pipe's write end. */
  stderrFd: number;
  /** The log pipe's read end, handed to the host to drain once runsvdir has gone. */
  logReadFd?: number;
  env?: NodeJS.ProcessEnv;
  report: DiagnosticSink;
  /**
   * Hosts a service the host has no fds for (its table full at the hard limit): runsv processes,
   * each with an fd table of its own, as runit runs every service. Without it such a service ends
   * and the scanner starts it again later.
   */
  overflow?: ServiceLauncher;
}

interface Connection {
  pid: number;
  commands: Socket;
  exited: Promise<void>;
  /** Services started in this host, by id, with the scanner's callback for their end. */
  services: Map<number, { service: ServiceToLaunch; ended: () => void }>;
  /** The kept log pipes mapped into this host at its start, by service key: fd numbers in the host. */
  mapped: Map<string, number>;
}

/**
 * The last orphan exits, told to every new host before any start: an exit reaped in the same batch
 * as the dead host's own, or while no host ran, may be the status an adoption needs.
 */
const RECENT_EXITS = 256;

export class ServiceHostLauncher implements ServiceLauncher {
  private connection: Connection | undefined;
  private nextId = 1;
  private readonly holder: FdHolder;
  private readonly kept: KeptPipes;
  private readonly recentExits: Array<{ pid: number; status: number }> = [];
  /** Services the host had no room for, hosted by the overflow launcher instead, by id. */
  private readonly movedOut = new Map<number, HostedService>();

  constructor(private readonly options: ServiceHostLauncherOptions) {
    const { svdir, stderrFd, report, env } = options;
    this.holder = new FdHolder({ svdir, stderrFd, report, env: env ?? process.env });
    this.kept = new KeptPipes(this.holder);
    reaper.start();
    // the dead host's services (and services' own orphans) are reaped here: the host is told
    reaper.onOrphan((exit) => this.orphanEnded(exit.pid, exit.status));
  }

  /** The host's pid, when it runs. */
  get hostPid(): number | undefined {
    return this.connection?.pid;
  }

  hostProcesses(): Array<{ name: string; pid: number }> {
    const holderPid = this.holder.pid;
    return [
      ...(this.connection ? [{ name: 'runsvdir-host', pid: this.connection.pid }] : []),
      ...(holderPid === undefined ? [] : [{ name: 'runit-ts-fdholder', pid: holderPid }]),
    ];
  }

  launch(service: ServiceToLaunch, ended: () => void): HostedService {
    const connection = this.connection ?? this.startHost(service.name);
    const id = this.nextId++;
    connection.services.set(id, { service, ended });
    const pipeFd = connection.mapped.get(service.key);
    connection.mapped.delete(service.key);
    this.send(connection, { op: 'start', id, name: service.name, dir: `${service.svdir}/${service.name}`, ...(pipeFd === undefined ? {} : { pipe: pipeFd }) });
    return {
      terminate: () => {
        const elsewhere = this.movedOut.get(id);
        if (elsewhere) elsewhere.terminate();
        else if (connection.services.has(id)) this.send(connection, { op: 'stop', id });
      },
    };
  }

  /** The service is gone from the directory: its kept log pipe is let go of. */
  forget(key: string): void {
    this.kept.drop(key);
    const connection = this.connection;
    const fd = connection?.mapped.get(key);
    if (connection && fd !== undefined) {
      connection.mapped.delete(key);
      this.send(connection, { op: 'drop', fd });
    }
  }

  /**
   * Closes the host's command pipe (it exits once its supervisors have ended) and waits for its exit;
   * then the fd-holder is let go of.
   */
  async close(): Promise<void> {
    const connection = this.connection;
    if (connection) {
      connection.commands.end();
      await connection.exited;
    }
    await this.holder.close();
  }

  /** Resolves when everything queued for the host has been handed to the pipe. */
  flush(): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.commands.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => connection.commands.write('', () => resolve()));
  }

  private send(connection: Connection, command: HostCommand): void {
    if (!connection.commands.destroyed) connection.commands.write(encodeLine(command));
  }

  private orphanEnded(pid: number, status: number): void {
    this.recentExits.push({ pid, status });
    if (this.recentExits.length > RECENT_EXITS) this.recentExits.shift();
    if (this.connection) this.send(this.connection, { op: 'exit', pid, status });
  }

  private startHost(forName: string): Connection {
    const { host, svdir, newSession, stderrFd, logReadFd, env, childOomScoreAdj, childFileLimit } = this.options;
    const [commandsRead, commandsWrite] = pipe();
    const [eventsRead, eventsWrite] = pipe();
    const fds: Array<number | null> = [0, 1, stderrFd, commandsRead, eventsWrite, null];
    if (logReadFd !== undefined) fds[HOST_FD.logDrain] = logReadFd;
    // the log pipes a dead host had, for its successor to go on with
    const mapped = new Map<string, number>();
    for (const [key, fd] of this.kept.entries()) {
      mapped.set(key, fds.length);
      fds.push(fd);
    }
    let pid: number;
    try {
      pid = spawn({
        file: host.file,
        argv: [...host.argv, ...(newSession ? ['-P'] : []), ...(logReadFd === undefined ? [] : ['-d']), svdir],
        // a Node process raises its own limit as it starts: the one to give back is handed down
        env: { ...(env ?? process.env), ...fileLimitEntry(childFileLimit) },
        fds,
        setsid: newSession,
        search: host.search,
        oomScoreAdj: childOomScoreAdj,
        fileLimit: childFileLimit,
        nodeVariables: host.nodeVariables,
      });
    } catch (error) {
      for (const fd of [commandsRead, commandsWrite, eventsRead, eventsWrite]) closeSync(fd);
      throw new LaunchError(M.unableToStartRunsv(svdir, forName, error));
    }
    // the host's ends live on in the host only
    closeSync(commandsRead);
    closeSync(eventsWrite);
    const commands = new Socket({ fd: commandsWrite, readable: false, writable: true });
    commands.on('error', () => undefined);
    const events = new Socket({ fd: eventsRead, readable: true, writable: false });
    events.on('error', () => undefined);
    let exited!: () => void;
    const connection: Connection = { pid, commands, services: new Map(), mapped, exited: new Promise((resolve) => (exited = resolve)) };
    readLines<HostEvent>(
      events,
      (event) => this.hostSaid(connection, event),
      (line) => this.options.report(M.hostFailed(svdir, `unreadable message: ${line}`)),
    );
    reaper.watch(pid, (exit) => {
      events.destroy();
      commands.destroy();
      if (this.connection === connection) this.connection = undefined;
      if (connection.services.size > 0) {
        const how = exit.signal === null ? `exited ${exit.code}` : `killed by signal ${exit.signal}`;
        this.options.report(M.hostFailed(svdir, `${how}, starting it again`));
      }
      const orphans = [...connection.services.values()];
      connection.services.clear();
      for (const { ended } of orphans) ended();
      exited();
    });
    this.connection = connection;
    for (const { pid: orphan, status } of this.recentExits) this.send(connection, { op: 'exit', pid: orphan, status });
    return connection;
  }

  private hostSaid(connection: Connection, event: HostEvent): void {
    const hosted = 'id' in event ? connection.services.get(event.id) : undefined;
    if (!hosted) return;
    const { key } = hosted.service;
    if (event.op === 'keep') this.kept.keep(key, connection.pid, event.fd, event.ino);
    else if (event.op === 'release') this.kept.drop(key);
    else if (event.op === 'ended' || event.op === 'no-room') {
      connection.services.delete(event.id);
      this.kept.drop(key);
      if (event.op === 'no-room') this.moveOut(event.id, hosted.service, hosted.ended);
      else hosted.ended();
    }
  }

  /** A service the host has no fds for: a runsv process of its own, or its end (tried again later). */
  private moveOut(id: number, service: ServiceToLaunch, ended: () => void): void {
    const { overflow, svdir, report } = this.options;
    if (!overflow) return ended();
    report(M.noRoomInHost(svdir, service.name));
    try {
      this.movedOut.set(
        id,
        overflow.launch(service, () => {
          this.movedOut.delete(id);
          ended();
        }),
      );
    } catch (error) {
      if (!(error instanceof LaunchError)) throw error;
      report(error.diagnostic);
      ended();
    }
  }
}

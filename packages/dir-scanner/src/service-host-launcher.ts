// The in-process mode, runsvdir's side: every service is a supervisor inside one service-host process
// that runsvdir starts (and starts again at once if it dies), told what to do over a pipe.
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { pipe, reaper, spawn } from '@runit-ts/native';
import type { DiagnosticSink } from '@runit-ts/supervisor';
import { encodeLine, HOST_FD, readLines, type HostCommand, type HostEvent } from './host-protocol.js';
import { LaunchError, type HostedService, type ServiceLauncher, type ServiceToLaunch } from './service-launcher.js';
import { runsvdirMessages as M } from './messages.js';
import type { Program } from './programs.js';

export interface ServiceHostLauncherOptions {
  /** The services directory as given (messages name it so, and so does the host's title). */
  svdir: string;
  /** The host program (a Node script, see programs.ts). */
  host: Program;
  newSession: boolean;
  /** fd 2 of the host and of every service: runsvdir's stderr, or the log pipe's write end. */
  stderrFd: number;
  /** The log pipe's read end, handed to the host to drain once runsvdir has gone. */
  logReadFd?: number;
  env?: NodeJS.ProcessEnv;
  report: DiagnosticSink;
}

interface Connection {
  pid: number;
  commands: Socket;
  exited: Promise<void>;
  /** Services started in this host, by id, with the scanner's callback for their end. */
  services: Map<number, () => void>;
}

export class ServiceHostLauncher implements ServiceLauncher {
  private connection: Connection | undefined;
  private nextId = 1;

  constructor(private readonly options: ServiceHostLauncherOptions) {
    reaper.start();
  }

  /** The host's pid, when it runs. */
  get hostPid(): number | undefined {
    return this.connection?.pid;
  }

  hostProcesses(): Array<{ name: string; pid: number }> {
    return this.connection ? [{ name: 'runsvdir-host', pid: this.connection.pid }] : [];
  }

  launch(service: ServiceToLaunch, ended: () => void): HostedService {
    const connection = this.connection ?? this.startHost(service.name);
    const id = this.nextId++;
    connection.services.set(id, ended);
    this.send(connection, { op: 'start', id, name: service.name, dir: `${service.svdir}/${service.name}` });
    return {
      terminate: () => {
        if (connection.services.has(id)) this.send(connection, { op: 'stop', id });
      },
    };
  }

  /** Closes the host's command pipe (it exits once its supervisors have ended) and waits for its exit. */
  close(): Promise<void> {
    const connection = this.connection;
    if (!connection) return Promise.resolve();
    connection.commands.end();
    return connection.exited;
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

  private startHost(forName: string): Connection {
    const { host, svdir, newSession, stderrFd, logReadFd, env } = this.options;
    const [commandsRead, commandsWrite] = pipe();
    const [eventsRead, eventsWrite] = pipe();
    const fds: Array<number | null> = [0, 1, stderrFd, commandsRead, eventsWrite];
    if (logReadFd !== undefined) fds[HOST_FD.logDrain] = logReadFd;
    let pid: number;
    try {
      pid = spawn({
        file: host.file,
        argv: [...host.argv, ...(newSession ? ['-P'] : []), ...(logReadFd === undefined ? [] : ['-d']), svdir],
        env: env ?? process.env,
        fds,
        setsid: newSession,
        search: host.search,
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
    const connection: Connection = { pid, commands, services: new Map(), exited: new Promise((resolve) => (exited = resolve)) };
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
      for (const ended of orphans) ended();
      exited();
    });
    this.connection = connection;
    return connection;
  }

  private hostSaid(connection: Connection, event: HostEvent): void {
    if (event.op !== 'ended') return;
    const ended = connection.services.get(event.id);
    if (!ended) return;
    connection.services.delete(event.id);
    ended();
  }
}

// How ./run tells its supervisor it is ready, one channel per start of ./run: s6's notification-fd
// (a pipe whose write end is fd N in ./run; the first newline on it means ready, text before it is
// ignored, the supervisor then closes its end) and the sd_notify bridge (NOTIFY_SOCKET names a
// datagram socket the supervisor reads; a datagram with the line READY=1 means ready).
import { closeSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { bindDatagramSocket, envEntryName, pipe, receiveDatagram, watchReadable, type Datagram, type EnvEntry, type ReadableWatch } from '@runit-ts/native';
import { BEYOND } from './messages.js';
import { quietly } from './quietly.js';
import type { ServiceConfig } from './service-config.js';

export type Fds = Array<number | null>;

let sockets = 0;

/** The real uid of pid, from /proc; undefined once it is gone. */
function uidOf(pid: number): number | undefined {
  try {
    const line = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

const saysReady = (data: Buffer): boolean => data.toString('utf8').split('\n').includes('READY=1');

export class ReadinessChannel {
  private pipeEnds: [number, number] | undefined;
  private pipeReader: Socket | undefined;
  private socketFd: number | undefined;
  private socketName = '';
  private socketWatch: ReadableWatch | undefined;
  private pid = 0;
  private ready: (() => void) | undefined;

  private constructor(private readonly notificationFd: number | undefined) {}

  /** Before the spawn of ./run: the pipe and the socket its config asks for; undefined when none. */
  static open(config: ServiceConfig, warn: (text: string, error?: unknown) => void): ReadinessChannel | undefined {
    if (config.notificationFd === undefined && !config.notifySocket) return undefined;
    const channel = new ReadinessChannel(config.notificationFd);
    if (config.notificationFd !== undefined) {
      try {
        channel.pipeEnds = pipe();
      } catch (error) {
        warn(BEYOND.notificationPipe, error);
      }
    }
    if (config.notifySocket) {
      // the abstract namespace: no file to clean up, no length limit from the service dir's path
      const name = `@runit-ts/notify/${process.pid}/${++sockets}`;
      try {
        channel.socketFd = bindDatagramSocket(name);
        channel.socketName = name;
      } catch (error) {
        warn(BEYOND.notifySocket, error);
      }
    }
    if (channel.pipeEnds || channel.socketFd !== undefined) return channel;
    return undefined;
  }

  /** ./run's fds: its stdio, and the pipe's write end as the notification fd. */
  fds(stdio: readonly number[]): Fds {
    const fds: Fds = [...stdio];
    if (this.pipeEnds && this.notificationFd !== undefined) {
      while (fds.length < this.notificationFd) fds.push(null);
      fds[this.notificationFd] = this.pipeEnds[1];
    }
    return fds;
  }

  /** ./run's environment, with NOTIFY_SOCKET naming the socket (any inherited one replaced). */
  env(env: readonly EnvEntry[]): EnvEntry[] {
    if (this.socketFd === undefined) return [...env];
    return [...env.filter((entry) => envEntryName(entry) !== 'NOTIFY_SOCKET'), `NOTIFY_SOCKET=${this.socketName}`];
  }

  /** After the spawn: the child's end is closed here; `ready` is called once, when ./run says so. */
  attach(pid: number, ready: () => void): void {
    this.pid = pid;
    this.ready = ready;
    if (this.pipeEnds) {
      const [readEnd, writeEnd] = this.pipeEnds;
      quietly(() => closeSync(writeEnd));
      this.pipeEnds = undefined;
      const reader = new Socket({ fd: readEnd, readable: true, writable: false });
      this.pipeReader = reader;
      reader.on('data', (chunk: Buffer) => {
        if (!chunk.includes(0x0a)) return;
        this.closePipe();
        this.notify();
      });
      reader.on('end', () => this.closePipe());
      reader.on('error', () => this.closePipe());
    }
    if (this.socketFd !== undefined) {
      const fd = this.socketFd;
      this.socketWatch = watchReadable(fd, (error) => (error ? this.closeSocket() : this.drainSocket(fd)));
    }
  }

  /** ./run ended, or never started: everything is closed. */
  close(): void {
    this.ready = undefined;
    if (this.pipeEnds) for (const fd of this.pipeEnds) quietly(() => closeSync(fd));
    this.pipeEnds = undefined;
    this.closePipe();
    this.closeSocket();
  }

  /**
   * Every queued datagram, READY=1 or not: the socket stays open while ./run lives, so that later
   * messages (STATUS=, systemd-notify's BARRIER=1 and the fd it waits on) are taken and dropped.
   */
  private drainSocket(fd: number): void {
    for (let datagram = this.receive(fd); datagram; datagram = this.receive(fd)) {
      if (saysReady(datagram.data) && this.fromService(datagram)) this.notify();
    }
  }

  private receive(fd: number): Datagram | undefined {
    try {
      return receiveDatagram(fd);
    } catch {
      this.closeSocket();
      return undefined;
    }
  }

  /** The kernel's credentials say who sent it: root, ./run itself, or a process of ./run's user. */
  private fromService(datagram: Datagram): boolean {
    return datagram.uid === 0 || datagram.pid === this.pid || datagram.uid === uidOf(this.pid);
  }

  private notify(): void {
    const ready = this.ready;
    this.ready = undefined;
    ready?.();
  }

  private closePipe(): void {
    const reader = this.pipeReader;
    this.pipeReader = undefined;
    reader?.destroy();
  }

  private closeSocket(): void {
    this.socketWatch?.stop();
    this.socketWatch = undefined;
    if (this.socketFd !== undefined) quietly(() => closeSync(this.socketFd!));
    this.socketFd = undefined;
  }
}

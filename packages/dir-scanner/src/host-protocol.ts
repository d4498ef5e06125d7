// The lines runsvdir and its service host exchange over two pipes: one JSON object per line.
import type { Socket } from 'node:net';

/** runsvdir -> host. */
export type HostCommand =
  /** `pipe`: the fd (mapped in at the host's start) of the log pipe a host that died had for this service. */
  | { op: 'start'; id: number; name: string; dir: string; pipe?: number }
  /** Stop as runsv stops on SIGTERM (service down, log drained), then report `ended`. */
  | { op: 'stop'; id: number }
  /** An orphan of the tree (a dead host's child, a service's daemon) ended with this wait status. */
  | { op: 'exit'; pid: number; status: number }
  /** A log pipe mapped in at the start that no service will take: close it. */
  | { op: 'drop'; fd: number };

/** host -> runsvdir. */
export type HostEvent =
  | { op: 'ended'; id: number; code: number }
  /**
   * The host's fd table is full (EMFILE at its hard limit): the service was not started here, and
   * runsvdir gives it a runsv process of its own, with an fd table of its own, as runit would.
   */
  | { op: 'no-room'; id: number }
  /** Keep a copy of this service's log pipe (the host's fd `fd`, pipe inode `ino`) for a successor. */
  | { op: 'keep'; id: number; fd: number; ino: number }
  /** The service's log pipe is being closed (its exit sequence): let go of the copy. */
  | { op: 'release'; id: number };

/** The fds the host finds its pipes on (0-2 are stdin, stdout and the services' stderr). */
export const HOST_FD = {
  commands: 3,
  events: 4,
  /** The log pipe's read end, drained by the host once runsvdir has gone (absent without a log). */
  logDrain: 5,
  /** The first of the log pipes kept from a host that died (see `start`'s `pipe`). */
  keptPipes: 6,
} as const;

export const encodeLine = (message: HostCommand | HostEvent): string => `${JSON.stringify(message)}\n`;

/** Calls onMessage with each complete line read from socket, parsed; bad lines go to onBadLine. */
export function readLines<T>(socket: Socket, onMessage: (message: T) => void, onBadLine: (line: string) => void): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        onBadLine(line);
        continue;
      }
      onMessage(message);
    }
  });
}

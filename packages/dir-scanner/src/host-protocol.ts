// The lines runsvdir and its service host exchange over two pipes: one JSON object per line.
import type { Socket } from 'node:net';

/** runsvdir -> host. */
export type HostCommand =
  | { op: 'start'; id: number; name: string; dir: string }
  /** Stop as runsv stops on SIGTERM (service down, log drained), then report `ended`. */
  | { op: 'stop'; id: number };

/** host -> runsvdir. */
export type HostEvent = { op: 'ended'; id: number; code: number };

/** The fds the host finds its pipes on (0-2 are stdin, stdout and the services' stderr). */
export const HOST_FD = {
  commands: 3,
  events: 4,
  /** The log pipe's read end, drained by the host once runsvdir has gone (absent without a log). */
  logDrain: 5,
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

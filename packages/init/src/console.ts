// The console as runit uses it: /dev/console, write-only and non-blocking (a full console must never
// stall PID 1), on fds 0-2 at boot and re-got as fd 2 at every loop turn.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { dup2 } from '@runit-ts/native';
import { CONSOLE } from './paths.js';

// O_NOCTTY: PID 1 is a session leader; a tty that is not the real console (a container's pty)
// must not become its controlling terminal (Ctrl-C there would reach PID 1). The real console is
// never acquired on open anyway.
const WRITE_FLAGS = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function openConsole(flags: number): number {
  return openSync(CONSOLE, flags);
}

/** Opens the console and makes each of targets refer to it; does nothing if it cannot be opened. */
function dupConsoleOnto(targets: readonly number[]): void {
  let fd: number;
  try {
    fd = openConsole(WRITE_FLAGS);
  } catch {
    return;
  }
  for (const target of targets) dup2(fd, target);
  if (fd > 2) closeSync(fd);
}

/** Puts the console on fds 0, 1 and 2; keeps the inherited ones when it cannot be opened (as runit). */
export const attachConsole = (): void => dupConsoleOnto([0, 1, 2]);

/** Re-opens the console as fd 2, so messages follow a console that came back or changed. */
export const regetStderr = (): void => dupConsoleOnto([2]);

/** Stage 1's fd 0: the console opened read-write (close-on-exec here; the spawn maps it to fd 0). */
export function openConsoleReadWrite(): number {
  return openConsole(constants.O_RDWR | constants.O_NOCTTY);
}

/** Writes one message to fd 2. A console that is gone or full loses the message, never PID 1. */
export function say(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    // nothing to tell it to
  }
}

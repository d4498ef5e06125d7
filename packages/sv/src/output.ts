// sv's output: stdout buffered and flushed where runit flushes it, stderr written at once, both
// with synchronous writes (no stream set-up at start, nothing left pending at exit).
import { writeSync } from 'node:fs';
import { bytesOfText } from '@runit-ts/native';

let pending = '';

/** Adds to the stdout buffer (runit's buffer_puts on buffer_1). */
export function put(text: string): void {
  pending += text;
}

/** Writes out the stdout buffer (runit's buffer_flush). */
export function flush(text = ''): void {
  pending += text;
  if (pending === '') return;
  const out = pending;
  pending = '';
  writeFully(1, out);
}

export function writeStderr(text: string): void {
  writeFully(2, text);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps without an event loop: sv is synchronous from start to exit, as runit's is. */
export function sleepMs(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/**
 * Writes all of text. A descriptor someone left non-blocking is retried; a closed pipe ends sv
 * by SIGPIPE as it ends runit's sv; any other error drops the output, as runit's buffer does.
 */
function writeFully(fd: number, text: string): void {
  let bytes = bytesOfText(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') sleepMs(1);
      else if (code === 'EPIPE') dieOfSigpipe();
      else return;
    }
  }
}

function dieOfSigpipe(): never {
  // Reached where SIGPIPE is ignored (Node's default: sv used as a library; the sv command undoes it
  // at start-up). Adding then removing a listener makes libuv restore the default action.
  const ignore = (): void => {};
  process.on('SIGPIPE', ignore);
  process.off('SIGPIPE', ignore);
  process.kill(process.pid, 'SIGPIPE');
  sleepMs(1000);
  process.exit(141);
}

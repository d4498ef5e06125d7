// Where diagnostics and `e`-selected line copies go: fd 2 by default, written synchronously.
import { writeSync } from 'node:fs';
import { bytesOfText } from '@runit-ts/native';

/** Receives one complete diagnostic line (`svlogd: warning: …\n`). */
export type Report = (line: string) => void;
/** Receives the bytes of one or more `e`-selected line copies. */
export type StderrCopy = (bytes: Uint8Array) => void;

/**
 * Writes everything or gives up quietly: fd 2 may be runsvdir's non-blocking log pipe, and a full
 * pipe there must not stop the logger (runit's own stderr buffer drops the text the same way).
 */
export function writeAllToStderr(bytes: Uint8Array | string): void {
  const data = typeof bytes === 'string' ? bytesOfText(bytes) : bytes;
  let at = 0;
  try {
    while (at < data.length) at += writeSync(2, data, at, data.length - at);
  } catch {
    // EAGAIN, EPIPE, EBADF: nowhere to say it
  }
}

export const reportToStderr: Report = (line) => writeAllToStderr(line);
export const copyToStderr: StderrCopy = (bytes) => writeAllToStderr(bytes);

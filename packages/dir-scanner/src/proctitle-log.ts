// runsvdir's `log` argument: runit's readproctitle window. Bytes written to the log pipe (by every
// runsv, service and supervisor) scroll through the last part of the process title, as `ps` shows it.
import { writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { pipe } from '@runit-ts/native';

/** runit keeps the first five characters of the log argument (e.g. `log: `) fixed. */
const FIXED = 5;
/** runit's minimum length for the log argument. */
export const MIN_LOG_LENGTH = 7;
/** A `.` every 900 s lets old messages scroll out. */
export const DOT_INTERVAL_MS = 900_000;

/** The window itself: the log argument's bytes, shifted left one place per byte written. */
export class TitleWindow {
  private readonly bytes: Buffer;

  constructor(log: string) {
    this.bytes = Buffer.from(log);
  }

  /** runit's loop: each non-NUL byte moves bytes 6.. one place left and lands at the end. */
  feed(chunk: Uint8Array): void {
    const bytes = this.bytes;
    const last = bytes.length - 1;
    let start = 0;
    // Only the last (window length) bytes of a long chunk can still be visible afterwards.
    const window = bytes.length - FIXED;
    let nonNul = 0;
    for (let i = chunk.length - 1; i >= 0 && nonNul < window; i--) {
      if (chunk[i] !== 0) nonNul++;
      start = i;
    }
    for (let i = start; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0) continue;
      bytes.copyWithin(FIXED, FIXED + 1, last + 1);
      bytes[last] = byte;
    }
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }

  /** The window's bytes as runit would hold them in argv. */
  get raw(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export interface ProcTitleLogOptions {
  /** The title before the log argument, e.g. `runsvdir -P /etc/service`. */
  prefix: string;
  log: string;
}

/**
 * Owns the log pipe: its write end is every runsv's or supervisor's fd 2 (left blocking: runit's
 * non-blocking end makes services' stderr writes fail with EAGAIN); the read end feeds the window.
 */
export class ProcTitleLog {
  readonly writeFd: number;
  readonly readFd: number;
  private readonly window: TitleWindow;
  private readonly reader: Socket;
  private dots: NodeJS.Timeout | undefined;

  constructor(private readonly options: ProcTitleLogOptions) {
    this.window = new TitleWindow(options.log);
    [this.readFd, this.writeFd] = pipe();
    this.reader = new Socket({ fd: this.readFd, readable: true, writable: false });
    this.reader.on('data', (chunk: Buffer) => this.write(chunk));
    this.reader.on('error', () => undefined);
    this.reader.unref();
  }

  /** runit writes the first `.` after its first scan, then one every 900 s. */
  startDots(): void {
    if (this.dots) return;
    this.write('.');
    this.dots = setInterval(() => this.write('.'), DOT_INTERVAL_MS);
    this.dots.unref();
  }

  /** runsvdir's own warnings land here directly rather than through the pipe it reads itself. */
  write(text: string | Uint8Array): void {
    this.window.feed(typeof text === 'string' ? Buffer.from(text) : text);
    setTitle(`${this.options.prefix} ${this.window.text}`);
  }

  get text(): string {
    return this.window.text;
  }

  close(): void {
    clearInterval(this.dots);
    this.reader.destroy();
  }
}

/**
 * Sets what `ps` shows. libuv also renames the thread (comm) to the title's first 15 bytes; runit's
 * runsvdir is `runsvdir` there, so the name is put back.
 */
export function setTitle(title: string, comm = 'runsvdir'): void {
  process.title = title;
  try {
    writeFileSync('/proc/self/comm', comm);
  } catch {
    // not Linux, or /proc missing: the title alone will do
  }
}

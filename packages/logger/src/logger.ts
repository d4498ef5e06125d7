// Several log dirs fed from one input, as one svlogd process keeps them: one stamp per chunk,
// dirs that fail to open are skipped (and tried again on reload), backpressure if any dir holds.
import { EventEmitter } from 'node:events';
import { wallClockMicros } from './clock.js';
import { LogDirWriter } from './log-dir.js';
import { normalizeOptions, type LoggerOptions } from './options.js';
import { Stamper } from './stamp.js';
import { Staging } from './staging.js';

/**
 * One staging for every Logger of the process and all their dirs: each dir hands its output on before
 * its write returns (LineFormatter's feed and finish end with a flush), so none is ever shared by two
 * writes at once. A service host writing 1,000 hosted logs held a 4 KiB buffer for each.
 */
const PROCESS_STAGING = new Staging();

const NEWLINE = 10;

export class Logger extends EventEmitter<{ drain: [] }> {
  readonly dirs: readonly LogDirWriter[];
  private readonly stamper: Stamper;
  private needDrain = false;
  private lastByte = NEWLINE;

  constructor(dirs: readonly string[], options: LoggerOptions = {}) {
    super();
    if (!Array.isArray(dirs) || dirs.length === 0 || !dirs.every((d) => typeof d === 'string' && d.length > 0)) {
      throw new TypeError(`argument "dirs" must be a non-empty array of non-empty strings, got ${String(dirs)}`);
    }
    this.stamper = new Stamper(normalizeOptions(options).timestamp);
    this.dirs = dirs.map((dir) => {
      const writer = new LogDirWriter(dir, options, PROCESS_STAGING);
      writer.on('drain', () => this.dirDrained());
      return writer;
    });
  }

  /**
   * svlogd's first steps: checks each dir and takes its lock (see LogDirWriter.acquire); returns how
   * many could be. open() then goes on with these, leaving the others out until reload().
   */
  acquire(): number {
    return this.dirs.filter((dir) => dir.acquire()).length;
  }

  /** Each dir's lock fd, once acquired; null for a dir that could not be. */
  locks(): Array<number | null> {
    return this.dirs.map((dir) => (dir.lock >= 0 ? dir.lock : null));
  }

  /**
   * Opens every dir; returns how many are usable (0: svlogd's "no functional log directories").
   * `locks`: per dir, a lock already taken and passed on by another process, or null when it could
   * not be (see LogDirWriter.open).
   */
  open(locks?: ReadonlyArray<number | null>): number {
    return this.dirs.filter((dir, i) => dir.open(locks?.[i])).length;
  }

  /** True when the input so far ends at a line boundary (nothing, or a `\n` last). */
  get lineComplete(): boolean {
    return this.lastByte === NEWLINE;
  }

  get blocked(): boolean {
    return this.dirs.some((dir) => dir.isOpen && dir.blocked);
  }

  /** Writes one chunk of input to every open dir, all lines of it stamped with the time of this call. */
  write(chunk: Uint8Array): boolean {
    if (chunk.length === 0) return !this.blocked;
    this.lastByte = chunk[chunk.length - 1]!;
    const stamp = this.stamper.stamp(wallClockMicros());
    let ok = true;
    for (const dir of this.dirs) if (dir.isOpen && !dir.write(chunk, stamp)) ok = false;
    if (!ok) this.needDrain = true;
    return ok;
  }

  /** Resolves once no dir holds output back. */
  async idle(): Promise<void> {
    await Promise.all(this.dirs.map((dir) => dir.idle()));
  }

  /** SIGALRM: rotate every non-empty current. */
  rotate(): void {
    for (const dir of this.dirs) dir.rotate();
  }

  /** SIGHUP: close and reopen every dir (also those that failed before); returns how many are usable. */
  async reload(): Promise<number> {
    let usable = 0;
    for (const dir of this.dirs) if (await dir.reload()) usable++;
    return usable;
  }

  /** End of input: each dir writes a line still missing its `\n`. */
  end(): void {
    for (const dir of this.dirs) dir.end();
  }

  /** Closes every dir after its held output and processor are done. */
  async close(): Promise<void> {
    await Promise.all(this.dirs.map((dir) => dir.close()));
  }

  /** What SIGKILL leaves of svlogd (see LogDirWriter.abandon). */
  abandon(): void {
    for (const dir of this.dirs) dir.abandon();
  }

  private dirDrained(): void {
    if (!this.needDrain || this.blocked) return;
    this.needDrain = false;
    this.emit('drain');
  }
}

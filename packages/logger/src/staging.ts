// Where formatted output waits for one write: a dir's lines for current, its `e` copies for stderr.
// The Loggers of a process share one Staging and lend it to their dirs (each hands its bytes on before
// its write returns). A buffer is made at its first use and small, so a quiet log holds a few KiB (and none for
// stderr copies it never makes); it doubles up to a cap whenever it fills before it was handed on, so a
// busy log's lines go out in few writes.

export type Write = (bytes: Buffer, start: number, end: number) => void;

const NONE = Buffer.alloc(0);

export class ByteStaging {
  private buffer = NONE;
  private staged = 0;

  constructor(
    private readonly initial: number,
    private readonly max: number,
  ) {}

  /**
   * Makes room for `length` more bytes: when they do not fit, what is staged goes to `write` first
   * (and the buffer grows). False when they can never fit: write them directly instead.
   */
  reserve(length: number, write: Write): boolean {
    if (this.staged + length <= this.buffer.length) return true;
    const filled = this.staged > 0;
    this.flush(write);
    const wanted = this.buffer === NONE ? this.initial : filled ? 2 * this.buffer.length : 0;
    const size = Math.min(this.max, Math.max(wanted, length));
    if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(size);
    return length <= this.buffer.length;
  }

  /** Appends src[start, end); call reserve() first. */
  append(src: Uint8Array, start = 0, end = src.length): void {
    this.buffer.set(src.subarray(start, end), this.staged);
    this.staged += end - start;
  }

  appendByte(byte: number): void {
    this.buffer[this.staged++] = byte;
  }

  /** Hands what is staged to `write` (which must copy what it keeps) and empties the buffer. */
  flush(write: Write): void {
    if (this.staged === 0) return;
    const length = this.staged;
    this.staged = 0;
    write(this.buffer, 0, length);
  }
}

/** The two buffers a Logger lends to its dirs' formatters. */
export class Staging {
  readonly output = new ByteStaging(4 * 1024, 256 * 1024);
  readonly stderr = new ByteStaging(1024, 16 * 1024);
}

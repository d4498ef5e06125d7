// Reads supervise/control: the non-blocking FIFO watched on libuv's loop (the addon's uv_poll: never a
// blocking read, which would hold a libuv worker thread, and not a net.Socket, whose streams cost a
// service host of 1,000 services over a megabyte), into one read buffer every control FIFO of the
// process shares, then a small ring per FIFO, taken one byte at a time. The bytes waiting are bounded
// by the ring: beyond it writers wait in the FIFO, as with runsv, and memory does not grow with the traffic.
import { closeSync, readSync } from 'node:fs';
import { watchReadable, type ReadableWatch } from '@runit-ts/native';

/** What one read takes: reads run one at a time on the event loop, and each is copied out at once. */
const READ_SIZE = 128;
const READ_BUFFER = Buffer.allocUnsafe(READ_SIZE);
/** Bytes waiting per FIFO: reading pauses when a whole read would not fit. */
const RING_SIZE = 4 * READ_SIZE;

export class ControlInput {
  /** Made at the first byte: most control FIFOs see a few bytes in their life. */
  private ring: Uint8Array | undefined;
  private head = 0;
  private buffered = 0;
  /** Watching the FIFO; undefined while reading is paused (the ring is full) or once closed. */
  private watch: ReadableWatch | undefined;
  /** Closed, or reading failed: nothing more is read. */
  private done = false;

  /** `fd`: the FIFO open non-blocking for reading and writing (see openControlFifo); closed by close(). */
  constructor(
    private fd: number,
    private readonly onInput: () => void,
    private readonly onError: (error: Error) => void,
  ) {
    this.startWatching();
  }

  get size(): number {
    return this.buffered;
  }

  /** Adds bytes as if they had been written to the FIFO (the library's `control()`); never dropped. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.ring ??= new Uint8Array(RING_SIZE);
    while (this.ring.length - this.buffered < bytes.length) this.grow();
    this.store(bytes);
    this.onInput();
  }

  /** The next byte, or undefined when none is waiting. */
  take(): number | undefined {
    if (this.buffered === 0) return undefined;
    const ring = this.ring!;
    const byte = ring[this.head]!;
    this.head = (this.head + 1) % ring.length;
    this.buffered--;
    if (!this.watch && !this.done && ring.length - this.buffered >= READ_SIZE) this.startWatching();
    return byte;
  }

  /** Stops watching and closes the FIFO. */
  close(): void {
    if (this.fd < 0) return;
    this.fail();
    this.ring = undefined;
    this.head = this.buffered = 0;
    const fd = this.fd;
    this.fd = -1;
    closeSync(fd);
  }

  private startWatching(): void {
    this.watch = watchReadable(this.fd, (error) => {
      if (error) {
        this.fail();
        this.onError(error);
      } else {
        this.readable();
      }
    });
  }

  private fail(): void {
    this.done = true;
    this.stopWatching();
  }

  private stopWatching(): void {
    this.watch?.stop();
    this.watch = undefined;
  }

  /** Reads what the FIFO holds, while a whole read fits in the ring; a full ring pauses the watch. */
  private readable(): void {
    while (this.watch) {
      if ((this.ring?.length ?? RING_SIZE) - this.buffered < READ_SIZE) {
        this.stopWatching();
        return;
      }
      let length: number;
      try {
        length = readSync(this.fd, READ_BUFFER, 0, READ_SIZE, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return;
        this.fail();
        this.onError(error as Error);
        return;
      }
      // no end of file: the supervisor holds the FIFO open for writing too
      if (length === 0) return;
      this.store(READ_BUFFER.subarray(0, length));
      this.onInput();
    }
  }

  /** Copies `bytes` in after the bytes waiting (the caller made room). */
  private store(bytes: Uint8Array): void {
    const ring = (this.ring ??= new Uint8Array(RING_SIZE));
    for (let i = 0; i < bytes.length; i++) ring[(this.head + this.buffered + i) % ring.length] = bytes[i]!;
    this.buffered += bytes.length;
  }

  /** The library's push() of more than the ring holds: a larger ring, as every byte pushed must wait its turn. */
  private grow(): void {
    const old = this.ring!;
    const ring = new Uint8Array(old.length * 2);
    for (let i = 0; i < this.buffered; i++) ring[i] = old[(this.head + i) % old.length]!;
    this.ring = ring;
    this.head = 0;
  }
}

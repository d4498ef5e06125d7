// Reads supervise/control: the FIFO's read end through a net.Socket (never a blocking open or a
// read stream, which would hold a libuv worker thread), buffered within a bound, one byte at a time.
import { Socket } from 'node:net';

/** Bytes buffered before reading stops; beyond it writers wait in the FIFO, as with runsv. */
const HIGH_WATER = 4096;

export class ControlInput {
  private readonly chunks: Uint8Array[] = [];
  private head = 0;
  private buffered = 0;
  private readonly socket: Socket;

  /** `onInput` is called whenever bytes become available. */
  /** `fd`: the FIFO open for reading and writing (see openControlFifo); the socket owns it. */
  constructor(
    fd: number,
    private readonly onInput: () => void,
    onError: (error: Error) => void,
  ) {
    this.socket = new Socket({ fd, readable: true, writable: false });
    this.socket.on('data', (chunk: Buffer) => this.push(chunk));
    this.socket.on('error', onError);
  }

  get size(): number {
    return this.buffered;
  }

  /** Adds bytes as if they had been written to the FIFO. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered >= HIGH_WATER) this.socket.pause();
    this.onInput();
  }

  /** The next byte, or undefined when none is waiting. */
  take(): number | undefined {
    const chunk = this.chunks[0];
    if (!chunk) return undefined;
    const byte = chunk[this.head++]!;
    this.buffered--;
    if (this.head === chunk.length) {
      this.chunks.shift();
      this.head = 0;
    }
    if (this.buffered < HIGH_WATER && this.socket.isPaused()) this.socket.resume();
    return byte;
  }

  /** Closes the FIFO (the socket owns its fd). */
  close(): void {
    this.socket.destroy();
    this.chunks.length = 0;
    this.buffered = 0;
  }
}

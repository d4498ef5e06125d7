// Reads supervise/control: the FIFO through a net.Socket (never a blocking open or a read stream, which
// would hold a libuv worker thread), into one read buffer every control FIFO of the process shares,
// then a small ring per FIFO, taken one byte at a time. The bytes waiting are bounded by the ring:
// beyond it writers wait in the FIFO, as with runsv, and memory does not grow with the traffic.
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';

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
  private paused = false;
  private readonly socket: Socket;

  /** `fd`: the FIFO open for reading and writing (see openControlFifo); the socket owns it. */
  constructor(
    fd: number,
    private readonly onInput: () => void,
    onError: (error: Error) => void,
  ) {
    // onread is typed for connect() only, but the Socket constructor takes it too
    const options: SocketConstructorOpts & { onread: OnReadOpts } = {
      fd,
      readable: true,
      writable: false,
      onread: { buffer: READ_BUFFER, callback: (length: number, buffer: Uint8Array) => this.received(buffer.subarray(0, length)) },
    };
    this.socket = new Socket(options);
    this.socket.on('error', onError);
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
    if (this.paused && ring.length - this.buffered >= READ_SIZE) {
      this.paused = false;
      this.socket.resume();
    }
    return byte;
  }

  /** Closes the FIFO (the socket owns its fd). */
  close(): void {
    this.socket.destroy();
    this.ring = undefined;
    this.head = this.buffered = 0;
  }

  /** A read's bytes: copied into the ring; false pauses reading while another read might not fit. */
  private received(bytes: Uint8Array): boolean {
    this.store(bytes);
    this.onInput();
    this.paused = this.ring!.length - this.buffered < READ_SIZE;
    return !this.paused;
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

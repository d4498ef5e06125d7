// Reads svlogd's standard input (or, in a service host, a log pipe) without holding a worker thread:
// pipes and sockets through libuv's epoll into one reused buffer, ttys through tty.ReadStream, files
// and devices with readSync per turn.
import { closeSync, fstatSync, readSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { isatty, ReadStream } from 'node:tty';
import { isNonBlocking, setNonBlocking } from '@runit-ts/native';

export interface InputHandlers {
  /** A chunk of input; its bytes are only valid during the call. */
  data(chunk: Buffer): void;
  /** No more input: end of file, or the line finished after finishLine(). */
  done(): void;
  /** A read failed (reading stops; runit warns and ends as at end of file). */
  error(error: unknown): void;
}

const CHUNK = 64 * 1024;
const RETRY_MS = 20;

export class StdinReader {
  private socket: Socket | undefined;
  private tty: ReadStream | undefined;
  private paused = false;
  private finished = false;
  private scheduled = false;
  /** O_NONBLOCK as found: a pipe's flag belongs to its open file, which runsv hands to the next svlogd. */
  private foundNonBlocking: boolean | undefined;

  /**
   * `buffer`: where chunks are read into. Readers that never hand on a chunk after its handler returns
   * may share one (a service host reading hundreds of log pipes does); by default each has its own.
   */
  constructor(
    private readonly fd: number,
    private readonly handlers: InputHandlers,
    private readonly buffer: Buffer = Buffer.allocUnsafe(CHUNK),
  ) {}

  start(): void {
    let stat;
    try {
      stat = fstatSync(this.fd);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (stat.isFIFO() || stat.isSocket()) {
      this.foundNonBlocking = isNonBlocking(this.fd);
      // onread: libuv reads straight into one buffer, no allocation per chunk (typed for connect()
      // only, but the Socket constructor takes it too).
      const options: SocketConstructorOpts & { onread: OnReadOpts } = {
        fd: this.fd,
        readable: true,
        writable: false,
        allowHalfOpen: true,
        onread: {
          buffer: this.buffer,
          callback: (length: number, buffer: Uint8Array) => {
            this.handlers.data((buffer as Buffer).subarray(0, length));
            return !this.paused;
          },
        },
      };
      this.socket = new Socket(options);
      this.socket.on('end', () => this.end());
      this.socket.on('error', (error) => this.fail(error));
    } else if (isatty(this.fd)) {
      this.tty = new ReadStream(this.fd);
      this.tty.on('data', (chunk: Buffer) => this.handlers.data(chunk));
      this.tty.on('end', () => this.end());
      this.tty.on('error', (error) => this.fail(error));
    } else {
      this.schedule();
    }
  }

  /** Stops reading (backpressure): the writer blocks once the pipe is full. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket?.pause();
    this.tty?.pause();
  }

  resume(): void {
    if (!this.paused || this.finished) return;
    this.paused = false;
    this.socket?.resume();
    this.tty?.resume();
    if (!this.socket && !this.tty) this.schedule();
  }

  /**
   * After SIGTERM in the middle of a line: read one byte at a time, as runit does, so that nothing
   * past the line's `\n` is taken from a pipe the next reader will use; then done().
   */
  finishLine(): void {
    this.pause();
    const one = Buffer.allocUnsafe(1);
    const step = (): void => {
      for (;;) {
        let length: number;
        try {
          length = readSync(this.fd, one, 0, 1, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') setTimeout(step, RETRY_MS);
          else this.fail(error);
          return;
        }
        if (length === 0) return this.end();
        this.handlers.data(one);
        if (one[0] === 10) return this.end();
      }
    };
    step();
  }

  /** Stops for good: puts O_NONBLOCK back as found (fd 0 itself stays open until exit). */
  stop(): void {
    this.finished = true;
    this.pause();
    if (this.foundNonBlocking !== undefined) {
      try {
        setNonBlocking(this.fd, this.foundNonBlocking);
      } catch {
        // fd already gone
      }
    }
  }

  /** stop(), then closes the fd: for a reader of an fd of its own (a log pipe's copy), not svlogd's stdin. */
  release(): void {
    this.stop();
    if (this.socket) this.socket.destroy();
    else if (this.tty) this.tty.destroy();
    else closeSync(this.fd);
  }

  private schedule(): void {
    if (this.scheduled || this.paused || this.finished) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  private pump(): void {
    this.scheduled = false;
    if (this.paused || this.finished) return;
    let length: number;
    try {
      length = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return this.fail(error);
      setTimeout(() => this.schedule(), RETRY_MS);
      return;
    }
    if (length === 0) return this.end();
    this.handlers.data(this.buffer.subarray(0, length));
    this.schedule();
  }

  private end(): void {
    if (this.finished) return;
    this.stop();
    this.handlers.done();
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.stop();
    this.handlers.error(error);
  }
}

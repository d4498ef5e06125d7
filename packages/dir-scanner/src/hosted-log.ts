// Hosted logs (runit-ts only, opt-in; see docs/hosted-logs.md): a service with a `hosted-log` file and
// no `log/` has its output written to svlogd-format log dirs by the service host itself, in-process.
import { closeSync, readFileSync, statSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { pipe } from '@runit-ts/native';
import { Logger } from '@runit-ts/logger';
import { reopenPipe, ServiceDir, type ServiceOutput } from '@runit-ts/supervisor';
import type { Report } from './diagnostics.js';
import { HOSTED_LOG_FILE, parseHostedLog, type HostedLogPlan } from './hosted-log-file.js';

/**
 * Reads the opt-in at supervisor start-up (runsv looks at `log/` only then, too). Undefined when the
 * service has no hosted log: no file, or a `log/` directory, which keeps runit's meaning and wins;
 * `ignored` hears why a file that exists is not used.
 */
export function readHostedLog(serviceDir: string, ignored: (why: string) => void): HostedLogPlan | undefined {
  let text: string;
  try {
    text = readFileSync(`${serviceDir}/${HOSTED_LOG_FILE}`, 'utf8');
  } catch {
    return undefined;
  }
  try {
    if (statSync(`${serviceDir}/log`).isDirectory()) {
      ignored('log/ is a directory');
      return undefined;
    }
  } catch {
    // no log/: the opt-in applies
  }
  const plan = parseHostedLog(text);
  if (typeof plan === 'string') {
    ignored(plan);
    return undefined;
  }
  return plan;
}

/**
 * Every hosted log reads into this one buffer, as svlogd's own reader does: reads run one at a time
 * on the event loop, and the logger is done with the bytes when its write returns. Left to itself,
 * Node would allocate a 64 KiB buffer for each read of each pipe.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Thrown inside open() when no log dir could be opened (svlogd has warned): nothing is hosted. */
const NO_LOG_DIR = Symbol('no log dir');

/** The log pipe of one service and the in-process svlogd behind it: the service's output in the host. */
export class HostedLog implements ServiceOutput {
  /** The pipe's write end: the service's stdout (./run, ./finish and handlers). */
  readonly writeFd: number;
  /** Resolves once the service's output has all been written and the log dirs closed. */
  readonly finished: Promise<void>;
  private writeClosed = false;

  /**
   * Opens the log dirs (reached through a handle on the service directory, so that they stay
   * reachable if it is renamed) and the pipe. Returns undefined (after svlogd's warnings) when no
   * log dir can be used. Throws when the logger or the pipe cannot be made; either way, whatever
   * was opened is released (the dirs' locks once their close is done). `earlierPipe`: the pipe a
   * host that died had for this service, taken over instead of a new one so that what the service
   * wrote meanwhile is logged: an fd runsvdir kept (see kept-pipes.ts; closed here), or the /proc
   * path of an adopted service's stdout.
   */
  static open(serviceDir: string, plan: HostedLogPlan, report: Report, earlierPipe?: number | string): HostedLog | undefined {
    let ends: [number, number] | undefined;
    if (typeof earlierPipe === 'number') {
      ends = reopenPipe(`/proc/self/fd/${earlierPipe}`);
      closeSync(earlierPipe);
    } else if (earlierPipe !== undefined) {
      ends = reopenPipe(earlierPipe);
    }
    let dir: ServiceDir | undefined;
    let logger: Logger | undefined;
    try {
      dir = ServiceDir.open(serviceDir);
      const logDirs = plan.dirs.map((name) => dir!.at(name));
      logger = new Logger(logDirs, { ...plan.options, report, stderrCopy: (bytes) => report(Buffer.from(bytes).toString()) });
      if (logger.open() === 0) throw NO_LOG_DIR;
      ends ??= pipe();
      return new HostedLog(logger, dir, ends);
    } catch (error) {
      for (const fd of ends ?? []) closeSync(fd);
      const opened = logger;
      const openedDir = dir;
      if (opened) void opened.close().finally(() => openedDir?.close());
      else openedDir?.close();
      if (error === NO_LOG_DIR) return undefined;
      throw error;
    }
  }

  private constructor(logger: Logger, dir: ServiceDir, [readFd, writeFd]: [number, number]) {
    this.writeFd = writeFd;
    // onread is typed for connect() only, but the Socket constructor takes it too
    const options: SocketConstructorOpts & { onread: OnReadOpts } = {
      fd: readFd,
      readable: true,
      writable: false,
      onread: {
        buffer: READ_BUFFER,
        callback: (length: number, buffer: Uint8Array): boolean => {
          if (logger.write(buffer.subarray(0, length))) return true;
          // svlogd's backpressure: stop reading, so the service blocks on a full pipe
          logger.once('drain', () => input.resume());
          return false;
        },
      },
    };
    const input = new Socket(options);
    this.finished = new Promise<void>((resolve) => {
      const done = (): void => {
        void logger.close().finally(() => {
          dir.close();
          resolve();
        });
      };
      input.once('end', done);
      input.once('error', done);
    });
  }

  /**
   * The supervisor has ended: drop the host's write end. The log closes once every other writer (the
   * service, or children it left behind) has closed it too, as svlogd sees end-of-file.
   */
  end(): Promise<void> {
    if (!this.writeClosed) {
      this.writeClosed = true;
      closeSync(this.writeFd);
    }
    return this.finished;
  }
}

// The service host's side of svlogd's hand-off (docs/decisions/0008-svlogd-hands-its-log-dirs-to-the-service-host.md):
// from the message svlogd sent, the same svlogd run in-process: its dirs written as its user, its
// stdin read, its signals taken as calls, its diagnostics on its own stderr.
import { closeSync, writeSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { bytesOfText, type ReceivedMessage } from '@runit-ts/native';
import { parseSvlogdArguments } from './arguments.js';
import { EXIT_FATAL, EXIT_OK } from './exit.js';
import { decodeMessage, FIXED_FDS, HOSTED_LINE_MAX, messageEnvironment } from './hand-off.js';
import { Logger } from './logger.js';
import * as msg from './messages.js';
import { StdinReader } from './stdin-reader.js';

/** Writes all of it to fd, or drops it quietly (a full or closed stderr must not stop the log). */
function writeAllTo(fd: number, data: Buffer): void {
  let at = 0;
  try {
    while (at < data.length) at += writeSync(fd, data, at, data.length - at);
  } catch {
    // EAGAIN, EPIPE: nowhere to say it
  }
}

export class HostedSvlogd {
  /** Resolves, once the logger has stopped, with the code svlogd would have exited with (null: killed). */
  readonly exited: Promise<number | null>;
  private resolveExit!: (code: number | null) => void;
  private exiting = false;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  /** SIGSTOP: nothing is read until cont(), so the pipe fills and the service blocks. */
  private stopped = false;
  private readonly input: StdinReader;

  /**
   * Takes a message svlogd sent (every fd it carried becomes this object's, or is closed when it
   * throws). `groups`: the sender's supplementary groups, read by the host from the kernel (the
   * message's word is not taken for them). `buffer`: a read buffer shared by every hosted svlogd.
   */
  constructor(
    message: ReceivedMessage,
    groups: readonly number[],
    buffer?: Buffer,
  ) {
    const fds = [...message.fds];
    try {
      const decoded = decodeMessage(message.data);
      if (!decoded) throw new Error('hand-off message not understood');
      const parsed = parseSvlogdArguments(decoded.argv);
      if (!parsed.ok) throw new Error('hand-off arguments refused');
      const { options, dirs } = parsed.invocation;
      if (options.lineMax! > HOSTED_LINE_MAX) throw new Error('hand-off line length over the hosted limit');
      const lockCount = decoded.locked.filter(Boolean).length;
      if (decoded.locked.length !== dirs.length || fds.length !== FIXED_FDS + lockCount) throw new Error('hand-off fds do not match');
      const [stdin, stderr, cwd] = fds as [number, number, number];
      let next = FIXED_FDS;
      const locks = decoded.locked.map((locked) => (locked ? fds[next++]! : null));
      const report = (line: string): void => writeAllTo(stderr, bytesOfText(line));
      const { uid, gid } = message.sender;
      this.logger = new Logger(dirs, {
        ...options,
        report,
        stderrCopy: (bytes) => writeAllTo(stderr, Buffer.from(bytes)),
        owner: { uid, gid, groups: [...groups], umask: decoded.umask, env: messageEnvironment(decoded) },
        // a relative dir is reached from svlogd's working directory, whatever the host's is
        locate: (dir) => (isAbsolute(dir) ? dir : `/proc/self/fd/${cwd}/${dir}`),
      });
      this.verbose = options.verbose === true;
      this.report = report;
      this.fds = { stdin, stderr, cwd };
      this.exited = new Promise((resolve) => (this.resolveExit = resolve));
      if (this.logger.open(locks) === 0) {
        report(msg.fatalNoDirs);
        this.input = new StdinReader(stdin, { data: () => undefined, done: () => undefined, error: () => undefined }, buffer);
        this.logger.abandon();
        this.stop(EXIT_FATAL);
        return;
      }
      this.input = new StdinReader(
        stdin,
        {
          data: (chunk) => {
            if (!this.logger.write(chunk)) this.input.pause();
          },
          done: () => void this.finish(),
          error: (error) => {
            report(msg.withError(msg.WARNING, msg.READ_STDIN, undefined, error));
            void this.finish();
          },
        },
        buffer,
      );
      this.logger.on('drain', () => this.resumeReading());
      this.input.start();
    } catch (error) {
      for (const fd of fds) closeFd(fd);
      throw error;
    }
  }

  private readonly logger: Logger;
  private readonly verbose: boolean;
  private readonly report: (line: string) => void;
  private readonly fds: { stdin: number; stderr: number; cwd: number };

  /** SIGTERM: reads on to the end of the line in progress, then writes everything out and stops. */
  term(): void {
    if (this.verbose) this.report(msg.infoSignal.SIGTERM);
    if (this.exiting) return;
    if (this.logger.lineComplete) void this.finish();
    else this.input.finishLine();
  }

  /** SIGHUP: closes each dir cleanly and opens it again with a fresh config. */
  hup(): void {
    if (this.verbose) this.report(msg.infoSignal.SIGHUP);
    if (this.exiting) return;
    if (this.reloading) this.reloadAgain = true;
    else this.reloading = this.reload();
  }

  /** SIGALRM: rotates each non-empty current. */
  alarm(): void {
    if (this.verbose) this.report(msg.infoSignal.SIGALRM);
    this.logger.rotate();
  }

  /** SIGSTOP: stops reading (what a stopped svlogd does to the pipe). */
  pause(): void {
    this.stopped = true;
    if (!this.exiting) this.input.pause();
  }

  /** SIGCONT: reads again. */
  cont(): void {
    this.stopped = false;
    this.resumeReading();
  }

  /** SIGKILL: stops at once; what is still in the pipe stays there for the next reader. */
  kill(): void {
    if (this.exiting) return;
    this.exiting = true;
    this.logger.abandon();
    this.stop(null);
  }

  private async finish(): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    this.input.stop();
    await this.reloading;
    this.logger.end();
    await this.logger.close();
    this.stop(EXIT_OK);
  }

  private async reload(): Promise<void> {
    this.input.pause();
    do {
      this.reloadAgain = false;
      if ((await this.logger.reload()) === 0) {
        this.report(msg.fatalNoDirs);
        this.exiting = true;
        this.logger.abandon();
        this.stop(EXIT_FATAL);
        return;
      }
    } while (this.reloadAgain && !this.exiting);
    this.reloading = undefined;
    this.resumeReading();
  }

  private resumeReading(): void {
    if (!this.exiting && !this.stopped && !this.reloading && !this.logger.blocked) this.input.resume();
  }

  /** Releases the reader (and the stdin fd), stderr and the working directory; tells exited. */
  private stop(code: number | null): void {
    this.input.release();
    closeFd(this.fds.stderr);
    closeFd(this.fds.cwd);
    this.resolveExit(code);
  }
}

function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

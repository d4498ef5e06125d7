// One log dir, as svlogd keeps it (docs/runit-behaviour.md §5.2–5.8): its lock, config, current,
// rotation timer, processor and UDP copy. Usable alone by a Node program: write(chunk) with
// backpressure.
import { EventEmitter } from 'node:events';
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { forKernel, tryLockExclusive } from '@runit-ts/native';
import { parseSvlogdConfig, SVLOGD_DEFAULTS, type SvlogdConfig } from '@runit-ts/protocol';
import { wallClockMicros } from './clock.js';
import { CurrentFile } from './current-file.js';
import { LineFormatter } from './line-formatter.js';
import { prune } from './log-files.js';
import * as msg from './messages.js';
import { normalizeOptions, type LoggerOptions, type Settings } from './options.js';
import { Processor } from './processor.js';
import { Stamper } from './stamp.js';
import { Staging } from './staging.js';
import { UdpCopy } from './udp-copy.js';

// O_NOFOLLOW here and on every file opened in a log dir: a link planted by the dir's owner is never
// followed (runit's svlogd follows it; docs/security.md).
const LOCK_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOFOLLOW;
/** setTimeout's longest delay; a longer `t` is waited for in steps. */
const LONGEST_TIMER = 2 ** 31 - 1;

function errorWithCode(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/**
 * A log dir written the way svlogd writes it. Call open() (false: the dir is unusable, the reasons
 * were reported), then write(); when write() returns false, wait for 'drain' (emitted whenever held
 * output has been written). close() writes an
 * unfinished last line, waits for the processor and closes current cleanly (mode 0744).
 */
export class LogDirWriter extends EventEmitter<{ drain: [] }> {
  /** Absolute path of the dir; `dir` is the name as given, used in messages. */
  readonly path: string;
  private readonly settings: Settings;
  private readonly stamper: Stamper;
  private readonly current: CurrentFile;
  private readonly formatter: LineFormatter;
  private readonly processor: Processor;
  private config: SvlogdConfig = SVLOGD_DEFAULTS;
  private lockFd = -1;
  private opened = false;
  /** acquire() failed (and said why): the dir is left out until reload(), as svlogd leaves it. */
  private unusable = false;
  /** runit sets a dir's name once its lock is taken; its -v "close:" line shows it empty before. */
  private named = false;
  private udp: UdpCopy | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** `staging`: Loggers lend the process's one to all their dirs; a writer used alone has one of its own. */
  constructor(
    readonly dir: string,
    options: LoggerOptions = {},
    staging: Staging = new Staging(),
  ) {
    super();
    this.settings = normalizeOptions(options);
    this.path = this.settings.locate(dir);
    this.stamper = new Stamper(this.settings.timestamp);
    const { verbose, report, pauseMs, asOwner } = this.settings;
    const common = { path: this.path, dir, verbose, report, pauseMs, asOwner };
    this.processor = new Processor({
      ...common,
      spawnAs: this.settings.processorAs,
      command: () => this.config.processor,
      processed: () => this.current.processorDone(),
    });
    this.current = new CurrentFile({
      ...common,
      processorBusy: () => this.processor.busy,
      rotatedType: () => (this.config.processor === undefined ? 's' : 'u'),
      rotated: (name, unclean) => this.rotated(name, unclean),
      drained: () => this.drained(),
    });
    const copies = { stderr: this.settings.stderrCopy, udp: (datagram: Buffer, truncated: boolean) => this.udp?.send(datagram, truncated) };
    this.formatter = new LineFormatter(this.settings, this.current, copies, staging);
  }

  /** True between a successful open() and close(). */
  get isOpen(): boolean {
    return this.opened;
  }

  /** The fd holding the dir's lock, once acquired (-1 before). */
  get lock(): number {
    return this.lockFd;
  }

  /** True while output is held back (rotation waiting for the processor, full disk, failed write). */
  get blocked(): boolean {
    return this.current.blocked;
  }

  /** The config in force (runit's defaults until open() has read the dir's `config`). */
  get configInForce(): Readonly<SvlogdConfig> {
    return this.config;
  }

  /**
   * svlogd's first steps of opening a dir: checks that it is a directory and takes its lock. False
   * (after svlogd's warnings) when either fails; the dir is then left out until reload().
   */
  acquire(): boolean {
    if (this.lockFd >= 0) return true;
    if (this.unusable) return false;
    const acquired = this.settings.asOwner(() => this.checkDirectory() && this.takeLock());
    this.unusable = !acquired;
    return acquired;
  }

  /**
   * Takes the lock (unless acquire() did), reads `config`, opens current (a current not closed
   * cleanly becomes a `.u`). `lock`: the fd of a lock already taken on this dir (another process
   * took it and passed it on), or null when it could not be taken (the dir is left out until
   * reload(), as after a failed acquire()).
   */
  open(lock?: number | null): boolean {
    if (this.opened) return true;
    if (lock === null) this.unusable = true;
    else if (lock !== undefined && this.lockFd < 0) {
      this.lockFd = lock;
      this.named = true;
    }
    return this.settings.asOwner(() => this.acquire() && this.openFiles());
  }

  private openFiles(): boolean {
    const { report, verbose } = this.settings;
    this.readConfig();
    let size = 0;
    let isNew = false;
    let unclean = false;
    try {
      const stat = statSync(forKernel(join(this.path, 'current')));
      size = stat.size;
      unclean = size > 0 && (stat.mode & 0o100) === 0;
      isNew = unclean;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.unlock();
        this.giveUp(msg.STAT_CURRENT, error);
        return false;
      }
      isNew = true;
    }
    const { maxSize, maxFiles, minFiles } = this.config;
    this.current.configure({ maxSize, maxFiles, minFiles, lineMax: this.settings.lineMax });
    this.opened = true;
    this.current.open(size, unclean);
    if (verbose) report(isNew ? msg.infoNew(this.dir) : msg.infoAppend(this.dir));
    this.armTimer();
    return true;
  }

  /** Formats and writes a chunk of input; false when the caller should wait for 'drain'. */
  write(chunk: Uint8Array, stamp?: Buffer): boolean {
    if (!this.isOpen) throw new Error(`log dir ${this.dir} is not open`);
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const stamped = stamp ?? this.stamper.stamp(wallClockMicros());
    this.settings.asOwner(() => this.formatter.feed(buf, 0, buf.length, stamped));
    return !this.current.blocked;
  }

  /** Resolves once nothing is held back: all written so far is in the dir's files (not yet fsynced). */
  idle(): Promise<void> {
    return this.current.idle();
  }

  /** Rotates a non-empty current now (what SIGALRM does). */
  rotate(): void {
    if (this.isOpen) this.settings.asOwner(() => this.current.requestRotation());
  }

  /** What SIGHUP does: close current cleanly, release the lock, open again with a fresh config. */
  async reload(): Promise<boolean> {
    if (this.isOpen) await this.closeFiles();
    this.unusable = false;
    return this.open();
  }

  /** End of input: a line still missing its `\n` is written with one (runit drops it). */
  end(): void {
    if (this.isOpen) this.settings.asOwner(() => this.formatter.finish());
  }

  /** end(), then wait for held output and the processor, and close current (0744) and the lock. */
  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.end();
    // Signal handles do not keep Node running: hold it while the processor or a retry is awaited.
    const keepAlive = setInterval(() => undefined, LONGEST_TIMER);
    try {
      await this.current.idle();
      await this.processor.idle();
      await this.closeFiles();
    } finally {
      clearInterval(keepAlive);
    }
  }

  /**
   * What a SIGKILL leaves of svlogd: output held back is dropped, current is closed as it is (not
   * marked closed cleanly, so the next open keeps it as a `.u`), the lock released; a processor at
   * work is left to finish alone.
   */
  abandon(): void {
    this.stopTimers();
    this.processor.abandon();
    this.current.abandon();
    this.opened = false;
    this.unlock();
  }

  private checkDirectory(): boolean {
    let fd: number;
    try {
      fd = openSync(forKernel(this.path), constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      this.settings.report(msg.warn(msg.OPEN_DIR, this.dir, error));
      return false;
    }
    try {
      if (!fstatSync(fd).isDirectory()) throw errorWithCode('ENOTDIR');
      return true;
    } catch (error) {
      this.giveUp(msg.CHANGE_DIR, error);
      return false;
    } finally {
      closeSync(fd);
    }
  }

  private takeLock(): boolean {
    try {
      this.lockFd = openSync(forKernel(join(this.path, 'lock')), LOCK_FLAGS, 0o600);
      if (!tryLockExclusive(this.lockFd)) throw errorWithCode('EAGAIN');
    } catch (error) {
      this.unlock();
      this.giveUp(msg.LOCK_DIR, error);
      return false;
    }
    this.named = true;
    return true;
  }

  /** runit closes the half-opened dir first (with -v: its "close:" line), then warns. */
  private giveUp(message: string, error: unknown): void {
    const { verbose, report } = this.settings;
    if (verbose) report(msg.infoClose(this.named ? this.dir : ''));
    report(msg.warn(message, this.dir, error));
  }

  private unlock(): void {
    if (this.lockFd >= 0) closeSync(this.lockFd);
    this.lockFd = -1;
  }

  private readConfig(): void {
    const { report, verbose } = this.settings;
    this.config = SVLOGD_DEFAULTS;
    let bytes: Buffer;
    try {
      bytes = readFileSync(forKernel(join(this.path, 'config')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report(msg.warn(msg.READ_CONFIG, this.dir, error));
      this.configureParts();
      return;
    }
    if (verbose) report(msg.infoRead(this.dir));
    const { config, warnings } = parseSvlogdConfig(bytes);
    for (const { message, detail } of warnings) report(msg.warnText(message, detail));
    this.config = config;
    this.configureParts();
  }

  private configureParts(): void {
    this.formatter.configure(this.config);
    this.udp?.close();
    const { udp } = this.config;
    this.udp = udp === undefined ? undefined : new UdpCopy(udp, (text, datagram) => this.formatter.note(text, datagram));
  }

  /** The `t` timer: armed at open to now + t; when it fires, a non-empty current is rotated and it is re-armed. */
  private armTimer(deadline = Date.now() + this.config.rotateSeconds * 1000): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.config.rotateSeconds <= 0) return;
    this.timer = setTimeout(
      () => {
        if (Date.now() < deadline) return this.armTimer(deadline);
        this.armTimer();
        this.settings.asOwner(() => this.current.requestRotation());
      },
      Math.min(Math.max(deadline - Date.now(), 0), LONGEST_TIMER),
    );
    this.timer.unref();
  }

  private rotated(name: string, unclean: boolean): void {
    const { maxFiles } = this.config;
    const { verbose, report } = this.settings;
    prune({ path: this.path, dir: this.dir, maxFiles, verbose, report, inUse: this.processor.filesInUse });
    if (!unclean && this.config.processor !== undefined) this.processor.start(name);
  }

  /**
   * Held output is all written. 'drain' is emitted on every such occasion, not only after a write()
   * that returned false: a Logger waits for the last of its dirs, which may have become blocked on
   * its own (a timed rotation) without refusing a write.
   */
  private drained(): void {
    this.emit('drain');
  }

  /** runit's logdir_close: current flushed, fsynced, set to 0744 and closed; the lock released. */
  private async closeFiles(): Promise<void> {
    if (this.settings.verbose) this.settings.report(msg.infoClose(this.dir));
    this.stopTimers();
    this.opened = false;
    await this.current.close();
    this.unlock();
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.udp?.close();
    this.udp = undefined;
  }
}

// A log dir's `current`: appends bytes, splits and rotates exactly where runit does, and holds output
// (backpressure) while a rotation waits for a processor or a failed write waits to be retried.
import { closeSync, constants, fchmodSync, fsync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { forKernel } from '@runit-ts/native';
import { freeSpace, pickOldName } from './log-files.js';
import type { LogDirContext } from './log-dir-context.js';
import * as msg from './messages.js';

export interface CurrentFileHost extends LogDirContext {
  /** A processor is still working on the previous file: a rotation must wait for it. */
  processorBusy(): boolean;
  /** `u` when a processor is configured (the file is handed to it), else `s`. */
  rotatedType(): 's' | 'u';
  /**
   * current was renamed to `name` and a new current opened: prune, start the processor (not for an
   * `unclean` current found at open, which becomes a `.u` that is never processed).
   */
  rotated(name: string, unclean: boolean): void;
  /** Everything held has been written: writers may go on. */
  drained(): void;
}

export interface SizeLimits {
  /** `s`: 0 = no rotation by size. */
  maxSize: number;
  /** -l: after a line, rotate once current is within this many bytes of maxSize. */
  lineMax: number;
  /** `n` and `N`: a full disk deletes old files only when minFiles < maxFiles. */
  maxFiles: number;
  minFiles: number;
}

/** O_NOFOLLOW: a `current` that is a link (planted by the log dir's owner) is never followed. */
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
const NEWLINE = 10;

/**
 * runit's rotate(), in order: wait for the processor of the previous file, pick the old file's name,
 * fsync current, chmod it 0744, close and rename it, create a new current, chmod it 0644. A step that
 * fails pauses and is tried again; the processor and the fsync are waited for without blocking.
 */
const ROTATION_STEPS = ['processor', 'name', 'fsync', 'closedMode', 'rename', 'create', 'openMode'] as const;
type RotationStep = (typeof ROTATION_STEPS)[number];

interface Rotation {
  /** The step under way (done or waiting): where the rotation goes on. */
  step: RotationStep;
  name: string;
  /** The fsync of current is done (it runs on libuv's thread pool, not on the event loop). */
  synced: boolean;
  /** The current found at open without u+x (not closed cleanly): renamed to `.u`, not processed. */
  unclean: boolean;
}

export class CurrentFile {
  private fd = -1;
  /** Bytes in current, as runit counts them (also across restarts: taken from its size at open). */
  size = 0;
  /** Until configure(): no rotation by size, nothing deleted. */
  private limits: SizeLimits = { maxSize: 0, lineMax: 0, maxFiles: 0, minFiles: 0 };
  /** Rotate after a line once size reaches this; -1 = never (runit's unsigned s - len wraps when s < len). */
  private threshold = -1;
  private held: Buffer[] = [];
  private waiting: 'processor' | 'sync' | 'pause' | undefined;
  private rotation: Rotation | undefined;
  private rotationRequested = false;
  private idleWaiters: Array<() => void> = [];
  private pauseTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: CurrentFileHost) {}

  private get currentPath(): string {
    return join(this.host.path, 'current');
  }

  configure(limits: SizeLimits): void {
    this.limits = { ...limits };
    const { maxSize, lineMax } = limits;
    this.threshold = maxSize >= lineMax ? maxSize - lineMax : -1;
  }

  /**
   * Opens current for appending; `size` is what it already holds. An `unclean` current (size > 0,
   * no u+x) is first renamed to `@now.u`. A failure pauses and retries.
   */
  open(size: number, unclean: boolean): void {
    this.size = size;
    this.fd = -1;
    if (unclean) {
      this.rotation = { step: 'name', name: '', unclean: true, synced: true };
      this.continueRotation();
    } else {
      this.reopen();
    }
  }

  /** True while output is held: a caller should stop writing until `drained`. */
  get blocked(): boolean {
    return this.waiting !== undefined || this.held.length > 0 || this.rotation !== undefined;
  }

  /** Appends buf[start, end); false when (some of) it is held and the writer should wait. */
  write(buf: Uint8Array, start: number, end: number): boolean {
    if (start >= end) return !this.blocked;
    if (this.blocked) {
      this.hold(buf, start, end);
      return false;
    }
    const done = this.push(buf, start, end);
    if (done < end) this.hold(buf, done, end);
    return !this.blocked;
  }

  /** Rotates a non-empty current (SIGALRM, the `t` timer): now, or once held output is written. */
  requestRotation(): void {
    if (this.blocked) this.rotationRequested = true;
    else this.rotate();
  }

  /** The processor finished its file: a rotation waiting for it goes on. */
  processorDone(): void {
    if (this.waiting === 'processor') this.resume();
  }

  /** Resolves once nothing is held and no rotation waits. */
  idle(): Promise<void> {
    if (!this.blocked) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes what is held, then fsync, mode 0744 (closed cleanly) and close; failures pause and retry. */
  async close(): Promise<void> {
    await this.idle();
    for (;;) {
      if (this.fd < 0) return;
      let step = msg.FSYNC_CURRENT;
      try {
        fsyncSync(this.fd);
        step = msg.MODE_CURRENT;
        fchmodSync(this.fd, 0o744);
        closeSync(this.fd);
        this.fd = -1;
        return;
      } catch (error) {
        this.host.report(msg.pausing(step, this.host.dir, error));
        await new Promise((resolve) => setTimeout(resolve, this.host.pauseMs));
      }
    }
  }

  /** Drops what is held and any rotation under way, and closes current as it is (no fsync, no mode change). */
  abandon(): void {
    clearTimeout(this.pauseTimer);
    this.held = [];
    this.rotation = undefined;
    this.rotationRequested = false;
    this.waiting = undefined;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.wakeIdle();
  }

  private hold(buf: Uint8Array, start: number, end: number): void {
    this.held.push(Buffer.from(buf.subarray(start, end)));
  }

  /** Writes as much of buf[start, end) as it can; returns where it stopped. */
  private push(buf: Uint8Array, start: number, end: number): number {
    const { maxSize } = this.limits;
    let at = start;
    while (at < end) {
      if (this.fd < 0 && !this.reopen()) return at;
      if (maxSize > 0 && this.size >= maxSize && !this.rotate()) return at;
      let stop = end;
      let rotateAfter = false;
      if (maxSize > 0) {
        // A write never takes current past maxSize (a line may be split there), and a line that ends
        // at or past the threshold is followed by a rotation: find whichever comes first.
        stop = Math.min(end, at + (maxSize - this.size));
        if (this.threshold >= 0) {
          const from = at + Math.max(0, this.threshold - this.size - 1);
          const newline = from < stop ? buf.indexOf(NEWLINE, from) : -1;
          if (newline !== -1 && newline < stop) {
            stop = newline + 1;
            rotateAfter = true;
          }
        }
      }
      at = this.writeOut(buf, at, stop);
      if (at < stop) return at;
      if (rotateAfter && !this.rotate()) return at;
    }
    return at;
  }

  /** write(2) until done; a full disk may free space by deleting old files, anything else pauses. */
  private writeOut(buf: Uint8Array, start: number, stop: number): number {
    const { host } = this;
    let at = start;
    while (at < stop) {
      try {
        const n = writeSync(this.fd, buf, at, stop - at);
        at += n;
        this.size += n;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EINTR') continue;
        if (code === 'ENOSPC' && this.limits.minFiles < this.limits.maxFiles) {
          try {
            if (freeSpace(host.path, host.dir, this.limits.minFiles, host.report)) continue;
          } catch (readError) {
            this.pause(msg.OPEN_DIR_FOR_SPACE, readError);
            return at;
          }
        }
        this.pause(msg.WRITE_CURRENT, error);
        return at;
      }
    }
    return at;
  }

  private rotate(): boolean {
    this.rotation ??= { step: 'processor', name: '', unclean: false, synced: false };
    return this.continueRotation();
  }

  /** Runs the rotation's steps from the one under way; false while it waits (processor, fsync, pause). */
  private continueRotation(): boolean {
    const r = this.rotation!;
    for (let i = ROTATION_STEPS.indexOf(r.step); i < ROTATION_STEPS.length; i++) {
      r.step = ROTATION_STEPS[i]!;
      if (r.step === 'name' && this.size === 0) {
        // A rotation of an empty current does nothing.
        this.rotation = undefined;
        return true;
      }
      if (!this.rotationStep(r)) return false;
    }
    this.rotation = undefined;
    this.host.rotated(r.name, r.unclean);
    return true;
  }

  /** One step of the rotation; false when it has to wait (or failed and pauses). */
  private rotationStep(r: Rotation): boolean {
    const { host } = this;
    switch (r.step) {
      case 'processor':
        if (!host.processorBusy()) return true;
        this.waiting = 'processor';
        return false;
      case 'name':
        return this.attempt(msg.PICK_NAME, () => (r.name = pickOldName(host.path, r.unclean ? 'u' : host.rotatedType())));
      case 'fsync':
        if (r.synced || this.fd < 0) return true;
        this.syncForRotation(r);
        return false;
      case 'closedMode':
        return this.attempt(msg.MODE_CURRENT, () => this.fd >= 0 && fchmodSync(this.fd, 0o744));
      case 'rename':
        return this.attempt(msg.RENAME_CURRENT, () => {
          if (this.fd >= 0) {
            if (host.verbose) host.report(msg.infoRename(host.dir, r.name, this.size));
            closeSync(this.fd);
            this.fd = -1;
          }
          renameSync(forKernel(this.currentPath), forKernel(join(host.path, r.name)));
        });
      case 'create':
        return this.attempt(msg.CREATE_CURRENT, () => {
          this.fd = openSync(forKernel(this.currentPath), APPEND, 0o600);
          this.size = 0;
        });
      case 'openMode':
        return this.attempt(msg.MODE_CURRENT, () => fchmodSync(this.fd, 0o644));
    }
  }

  /** Runs step; when it throws, reports `message` with the error and pauses. */
  private attempt(message: string, step: () => unknown): boolean {
    try {
      step();
      return true;
    } catch (error) {
      this.pause(message, error);
      return false;
    }
  }

  /** fsync off the event loop (a host of many dirs must not stall ~10 ms per rotation); output is held meanwhile. */
  private syncForRotation(r: Rotation): void {
    this.waiting = 'sync';
    fsync(this.fd, (error) => {
      if (this.rotation !== r) return;
      if (error) return this.pause(msg.FSYNC_CURRENT, error);
      r.synced = true;
      this.host.asOwner(() => this.resume());
    });
  }

  private reopen(): boolean {
    let message = msg.OPEN_CURRENT;
    try {
      if (this.fd < 0) this.fd = openSync(forKernel(this.currentPath), APPEND, 0o600);
      message = msg.MODE_CURRENT;
      fchmodSync(this.fd, 0o644);
      return true;
    } catch (error) {
      this.pause(message, error);
      return false;
    }
  }

  private pause(message: string, error: unknown): void {
    this.host.report(msg.pausing(message, this.host.dir, error));
    this.waiting = 'pause';
    this.pauseTimer = setTimeout(() => this.host.asOwner(() => this.resume()), this.host.pauseMs);
  }

  /** Retries what stopped, then writes what is held, in order; tells the host once all is out. */
  private resume(): void {
    this.waiting = undefined;
    if (this.rotation && !this.continueRotation()) return;
    if (this.fd < 0 && !this.reopen()) return;
    while (this.held.length > 0) {
      const next = this.held[0]!;
      const done = this.push(next, 0, next.length);
      if (done < next.length) {
        this.held[0] = next.subarray(done);
        return;
      }
      this.held.shift();
      if (this.waiting !== undefined || this.rotation !== undefined) return;
    }
    if (this.rotationRequested) {
      this.rotationRequested = false;
      if (!this.rotate()) return;
    }
    this.wakeIdle();
    this.host.drained();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

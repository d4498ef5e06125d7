// runsvdir's fd-holder: one small process per tree (native/holder/fdholder.c) that holds a copy of
// every log pipe runsvdir keeps for the service host, so that a pipe keeps a reader even when
// runsvdir and the host die together; it holds on a while for their successor, which adopts the
// services and reads their pipes on (docs/decisions/0008).
import { closeSync } from 'node:fs';
import { fdHolderProgram, reaper, sendFds, socketPair, spawn } from '@runit-ts/native';
import type { DiagnosticSink } from '@runit-ts/supervisor';
import { runsvdirMessages as M } from './messages.js';

/** How long the holder keeps the pipes after runsvdir died without saying goodbye. */
export const HOLDER_LINGER_SECONDS = 60;
/** The most fds one message carries (the holder's and the addon's limit). */
const FDS_PER_MESSAGE = 64;
/** After the holder's socket was full, or after the holder died: the wait before trying again. */
const RETRY_MS = 20;
const RESTART_MS = 1000;

export interface FdHolderOptions {
  svdir: string;
  stderrFd: number;
  report: DiagnosticSink;
  /** runsvdir's environment, given to the holder. */
  env: NodeJS.ProcessEnv;
}

interface Running {
  pid: number;
  /** runsvdir's end of the socket pair. */
  socket: number;
  exited: Promise<void>;
}

/** How long close() waits for the holder to exit after telling it to. */
const EXIT_WAIT_MS = 2000;

export class FdHolder {
  /** Every fd held, by id: this object's to close. */
  private readonly held = new Map<number, number>();
  /** What the holder has not been told yet. */
  private readonly toHold = new Map<number, number>();
  private readonly toRelease = new Set<number>();
  private running: Running | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushQueued = false;
  private restartAt = 0;
  private failed = false;
  private closed = false;

  constructor(private readonly options: FdHolderOptions) {}

  /** The holder's pid while it runs. */
  get pid(): number | undefined {
    return this.running?.pid;
  }

  /** Has the holder hold `fd` under `id` (ids are never used twice); `fd` is this object's from now on. */
  hold(id: number, fd: number): void {
    if (this.closed || this.failed) {
      closeSync(fd);
      return;
    }
    this.held.set(id, fd);
    this.toHold.set(id, fd);
    this.scheduleFlush();
  }

  /** Lets go of `id`, here and in the holder. */
  release(id: number): void {
    const fd = this.held.get(id);
    if (fd === undefined) return;
    this.held.delete(id);
    closeSync(fd);
    // never sent: nothing to tell
    if (!this.toHold.delete(id)) this.toRelease.add(id);
    this.scheduleFlush();
  }

  /** runsvdir is ending in order (its host has ended): the holder exits now; resolves once it has. */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.flushTimer);
    for (const fd of this.held.values()) closeSync(fd);
    this.held.clear();
    this.toHold.clear();
    this.toRelease.clear();
    const running = this.running;
    this.running = undefined;
    if (!running) return Promise.resolve();
    try {
      sendFds(running.socket, Buffer.from('.'), [], process.pid);
    } catch {
      // the holder is gone already
    }
    closeSync(running.socket);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_WAIT_MS)));
    return Promise.race([running.exited, waited]).finally(() => clearTimeout(timer));
  }

  private scheduleFlush(): void {
    if (this.flushQueued || this.flushTimer) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.closed || (this.toHold.size === 0 && this.toRelease.size === 0)) return;
    const running = this.running ?? this.start();
    if (!running) return;
    try {
      while (this.toRelease.size > 0) {
        const ids = [...this.toRelease].slice(0, 256);
        sendFds(running.socket, Buffer.from(`-${ids.join(' ')}`), [], process.pid);
        for (const id of ids) this.toRelease.delete(id);
      }
      while (this.toHold.size > 0) {
        const batch = [...this.toHold].slice(0, FDS_PER_MESSAGE);
        sendFds(running.socket, Buffer.from(`+${batch.map(([id]) => id).join(' ')}`), batch.map(([, fd]) => fd), process.pid);
        for (const [id] of batch) this.toHold.delete(id);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // full: the holder is reading; gone: its exit starts another (see start)
      if (code === 'EAGAIN') this.flushTimer = setTimeout(() => this.flush(), RETRY_MS);
      else if (code !== 'EPIPE' && code !== 'ECONNRESET') this.giveUp(String(error));
    }
  }

  private start(): Running | undefined {
    if (this.failed) return undefined;
    const wait = this.restartAt - performance.now();
    if (wait > 0) {
      this.flushTimer = setTimeout(() => this.flush(), wait);
      return undefined;
    }
    const [holderEnd, ownEnd] = socketPair();
    let pid: number;
    try {
      pid = spawn({
        file: fdHolderProgram(),
        argv: ['runit-ts-fdholder', String(HOLDER_LINGER_SECONDS)],
        env: this.options.env,
        fds: [null, null, this.options.stderrFd, holderEnd],
      });
    } catch (error) {
      closeSync(holderEnd);
      closeSync(ownEnd);
      this.giveUp((error as Error).message);
      return undefined;
    }
    closeSync(holderEnd);
    let exited!: () => void;
    const running: Running = { pid, socket: ownEnd, exited: new Promise((resolve) => (exited = resolve)) };
    this.running = running;
    reaper.watch(pid, () => {
      exited();
      this.ended(running);
    });
    return running;
  }

  /** The holder died (killed, say): another is started and given everything held. */
  private ended(running: Running): void {
    if (this.running !== running) return;
    this.running = undefined;
    closeSync(running.socket);
    this.restartAt = performance.now() + RESTART_MS;
    this.toRelease.clear();
    for (const [id, fd] of this.held) this.toHold.set(id, fd);
    this.scheduleFlush();
  }

  private giveUp(reason: string): void {
    this.failed = true;
    for (const fd of this.held.values()) closeSync(fd);
    this.held.clear();
    this.toHold.clear();
    this.toRelease.clear();
    this.options.report(M.fdHolderFailed(this.options.svdir, reason));
  }
}

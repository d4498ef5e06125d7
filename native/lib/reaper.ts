// The one place that reaps children: waitpid(-1, WNOHANG) on SIGCHLD, each exit handed to its owner.
// A child may also be looked at before it is reaped and kept unreaped (a zombie whose pid stays
// taken) until its owner releases it; while any is kept or waits for a look, children are reaped one
// by one by pid instead. A process that uses this must not use child_process: libuv's own waits
// would lose exits to ours.
import { binding } from './load.js';
import { decodeWaitStatus, type ExitStatus } from './exit-status.js';

export type ExitHandler = (exit: ExitStatus) => void;
/**
 * Called once a watched child has exited, before it is reaped: 'keep' leaves it unreaped (its pid
 * cannot be given to another process) until release(pid); 'reap' reaps it as usual.
 */
export type ExitInspector = (exit: ExitStatus) => 'keep' | 'reap';

export class Reaper {
  private readonly owners = new Map<number, ExitHandler>();
  private readonly inspectors = new Map<number, ExitInspector>();
  private readonly kept = new Set<number>();
  /** Children nobody watches any more (unwatch): still reaped, as orphans, when reaping by pid. */
  private readonly unwatched = new Set<number>();
  private orphanHandler: ExitHandler | undefined;
  private listening = false;
  private reapedOrphans = 0;
  // While children are watched, this timer keeps the event loop alive, as child_process does for
  // its children: SIGCHLD listeners do not, and a program awaiting a child's exit would end early.
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly onSignal = (): void => {
    this.reap();
  };

  /** Installs the SIGCHLD listener (idempotent) and reaps anything already waiting. */
  start(): this {
    if (!this.listening) {
      process.on('SIGCHLD', this.onSignal);
      this.listening = true;
    }
    this.reap();
    this.holdLoopWhileWatching();
    return this;
  }

  stop(): void {
    if (this.listening) process.off('SIGCHLD', this.onSignal);
    this.listening = false;
    this.holdLoopWhileWatching();
  }

  /**
   * Hands pid's exit to handler. Call synchronously right after spawning pid. With `inspect`, the
   * exit is shown to it first, and it may keep the child unreaped (see ExitInspector).
   */
  watch(pid: number, handler: ExitHandler, inspect?: ExitInspector): void {
    this.owners.set(pid, handler);
    this.unwatched.delete(pid);
    if (inspect) this.inspectors.set(pid, inspect);
    this.holdLoopWhileWatching();
  }

  unwatch(pid: number): void {
    if (this.owners.delete(pid)) this.unwatched.add(pid);
    this.inspectors.delete(pid);
    this.kept.delete(pid);
    this.holdLoopWhileWatching();
  }

  /** Reaps a child kept by its inspector (now, or at its exit if it still runs); its exit goes to its handler. */
  release(pid: number): void {
    this.inspectors.delete(pid);
    if (this.kept.delete(pid)) this.reap();
  }

  private holdLoopWhileWatching(): void {
    const hold = this.listening && this.owners.size > 0;
    if (hold && this.keepAlive === undefined) this.keepAlive = setInterval(() => undefined, 2 ** 30);
    if (!hold && this.keepAlive !== undefined) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }

  /** Called for every reaped child nobody watched (orphans re-parented to a subreaper or PID 1). */
  onOrphan(handler: ExitHandler | undefined): void {
    this.orphanHandler = handler;
  }

  get orphans(): number {
    return this.reapedOrphans;
  }

  get watched(): number {
    return this.owners.size;
  }

  /** Reaps every exited child now (but those kept); returns how many. Handler errors never stop the reaping. */
  reap(): number {
    const raw = this.inspectors.size === 0 && this.kept.size === 0 ? binding.waitAny() : this.reapByPid();
    for (let i = 0; i < raw.length; i += 2) {
      const exit = decodeWaitStatus(raw[i]!, raw[i + 1]!);
      const owner = this.owners.get(exit.pid);
      if (owner) this.owners.delete(exit.pid);
      else this.reapedOrphans++;
      this.unwatched.delete(exit.pid);
      const handler = owner ?? this.orphanHandler;
      if (!handler) continue;
      this.deliver(() => handler(exit));
    }
    this.holdLoopWhileWatching();
    return raw.length / 2;
  }

  /**
   * waitpid(-1) would reap a kept child: the inspected ones are looked at first, then every known
   * child but the kept and still-inspected ones is reaped by its pid. Children this process never knew of (orphans, when
   * it is PID 1 or a subreaper) wait until nothing is kept or inspected.
   */
  private reapByPid(): number[] {
    for (const [pid, inspect] of this.inspectors) {
      const peeked = binding.peekExit(pid);
      if (peeked.length === 0) continue;
      this.inspectors.delete(pid);
      if (this.verdict(inspect, decodeWaitStatus(peeked[0]!, peeked[1]!)) === 'keep') this.kept.add(pid);
    }
    // a child still inspected had not exited at its peek; it may have since, and waiting for it by pid
    // now would reap it unseen: its exit raises another SIGCHLD, and the next turn peeks at it again
    const pids: number[] = [];
    for (const pid of this.owners.keys()) if (!this.kept.has(pid) && !this.inspectors.has(pid)) pids.push(pid);
    for (const pid of this.unwatched) pids.push(pid);
    return binding.waitPids(pids);
  }

  /** An inspector that throws has its error rethrown apart, and its child reaped. */
  private verdict(inspect: ExitInspector, exit: ExitStatus): 'keep' | 'reap' {
    try {
      return inspect(exit);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
      return 'reap';
    }
  }

  private deliver(call: () => void): void {
    try {
      call();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/** The process-wide reaper. */
export const reaper = new Reaper();

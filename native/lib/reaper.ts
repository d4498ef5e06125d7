// The one place that reaps children: waitpid(-1, WNOHANG) on SIGCHLD, each exit handed to its owner.
// A process that uses this must not use child_process: libuv's own waits would lose exits to ours.
import { binding } from './load.js';
import { decodeWaitStatus, type ExitStatus } from './exit-status.js';

export type ExitHandler = (exit: ExitStatus) => void;

export class Reaper {
  private readonly owners = new Map<number, ExitHandler>();
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

  /** Hands pid's exit to handler. Call synchronously right after spawning pid. */
  watch(pid: number, handler: ExitHandler): void {
    this.owners.set(pid, handler);
    this.holdLoopWhileWatching();
  }

  unwatch(pid: number): void {
    this.owners.delete(pid);
    this.holdLoopWhileWatching();
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

  /** Reaps every exited child now; returns how many. Handler errors never stop the reaping. */
  reap(): number {
    const raw = binding.waitAny();
    for (let i = 0; i < raw.length; i += 2) {
      const exit = decodeWaitStatus(raw[i]!, raw[i + 1]!);
      const owner = this.owners.get(exit.pid);
      if (owner) this.owners.delete(exit.pid);
      else this.reapedOrphans++;
      const handler = owner ?? this.orphanHandler;
      if (!handler) continue;
      try {
        handler(exit);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    this.holdLoopWhileWatching();
    return raw.length / 2;
  }
}

/** The process-wide reaper. */
export const reaper = new Reaper();

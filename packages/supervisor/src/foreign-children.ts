// The exits of processes this one adopted but did not start (left by a supervisor that died): a
// relayed wait status when the process that reaps them (runsvdir, a subreaper) passes it on, else
// what a poll of their pidfds shows, without a status.
import { closeSync } from 'node:fs';
import { pidfdSignal, pidfdsExited } from '@runit-ts/native';

/** A wait status, or undefined when only the process that reaped it knew it. */
export type ForeignExit = (status: number | undefined) => void;

interface Watched {
  pidfd: number;
  exited: ForeignExit;
  /** Its status will be relayed: it was orphaned to the relaying process. */
  relayed: boolean;
  /** When the poll first saw it exited while its status was still expected from the relay. */
  exitedAt?: number;
}

/** How often adopted processes are polled while any is watched. */
const POLL_MS = 200;
/** How long an exit seen by the poll waits for its relayed status before it is taken as unknown. */
const RELAY_GRACE_MS = 2000;
/** Relayed statuses kept for pids nobody watches yet (an adoption may look one up); oldest go first. */
const RECENT_LIMIT = 1024;

export class ForeignChildren {
  private readonly watched = new Map<number, Watched>();
  private readonly recent = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  /** The process whose reaped orphans' statuses are relayed here (runsvdir, to its service host). */
  relayFrom: number | undefined;

  /**
   * Watches an adopted pid through its pidfd, which this takes over (closed once the exit is told).
   * `parent` is the pid's parent: its status is waited for when that is the relaying process.
   * `exited` is called once, from a later turn of the event loop.
   */
  watch(pid: number, pidfd: number, parent: number, exited: ForeignExit): void {
    this.unwatch(pid);
    this.watched.set(pid, { pidfd, exited, relayed: parent === this.relayFrom });
    // a zombie whose status was relayed before it was watched (a status for a live pid is older)
    const status = this.recent.get(pid);
    if (status !== undefined && pidfdsExited([pidfd])[0]) {
      this.recent.delete(pid);
      setImmediate(() => this.settle(pid, status));
      return;
    }
    this.timer ??= setInterval(() => this.poll(), POLL_MS);
  }

  unwatch(pid: number): void {
    const watched = this.watched.get(pid);
    if (!watched) return;
    this.watched.delete(pid);
    closeSync(watched.pidfd);
    this.stopPollingWhenIdle();
  }

  /** Signals an adopted pid through its pidfd (never a process that took its pid since); false when not watched. */
  signal(pid: number, signal: NodeJS.Signals): boolean {
    const watched = this.watched.get(pid);
    if (!watched) return false;
    try {
      pidfdSignal(watched.pidfd, signal);
    } catch {
      // exited already: its exit is (or was) seen
    }
    return true;
  }

  /** The status of an orphan that has been reaped elsewhere (by runsvdir), told to this process. */
  relayed(pid: number, status: number): void {
    if (this.watched.has(pid)) return this.settle(pid, status);
    this.recent.delete(pid);
    this.recent.set(pid, status);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
  }

  /** A status already relayed for a pid nobody watched (taken: it is told once). */
  takeRelayed(pid: number): number | undefined {
    const status = this.recent.get(pid);
    this.recent.delete(pid);
    return status;
  }

  get size(): number {
    return this.watched.size;
  }

  private settle(pid: number, status: number | undefined): void {
    const watched = this.watched.get(pid);
    if (!watched) return;
    this.unwatch(pid);
    watched.exited(status);
  }

  private poll(): void {
    const pids = [...this.watched.keys()];
    const exited = pidfdsExited(pids.map((pid) => this.watched.get(pid)!.pidfd));
    const now = performance.now();
    pids.forEach((pid, i) => {
      if (!exited[i]) return;
      const watched = this.watched.get(pid)!;
      if (!watched.relayed) return this.settle(pid, undefined);
      watched.exitedAt ??= now;
      if (now - watched.exitedAt >= RELAY_GRACE_MS) this.settle(pid, undefined);
    });
  }

  private stopPollingWhenIdle(): void {
    if (this.watched.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The process-wide watcher, as the reaper is process-wide. */
export const foreignChildren = new ForeignChildren();

// Wake-ups for sv's wait: inotify (fs.watch) on each waited service's supervise/, so that sv looks again
// as soon as a supervisor rewrites a status file instead of every 420 ms (runit's round, kept for
// services with a ./check script, which only running it can answer).
import { watch, type FSWatcher } from 'node:fs';

export class ServiceChanges {
  private readonly watchers = new Map<string, FSWatcher>();
  private changed = false;
  private wake: (() => void) | undefined;

  /** Watches the supervise/ dir of each of `dirs` (and no other); false for a dir it cannot watch. */
  watchOnly(dirs: readonly string[]): Map<string, boolean> {
    const watched = new Map<string, boolean>();
    for (const [dir, watcher] of this.watchers) {
      if (dirs.includes(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    for (const dir of dirs) {
      if (!this.watchers.has(dir)) {
        try {
          const watcher = watch(`${dir}/supervise`, { persistent: false }, () => this.changedNow());
          watcher.on('error', () => {
            watcher.close();
            this.watchers.delete(dir);
            this.changedNow();
          });
          this.watchers.set(dir, watcher);
        } catch {
          // no supervise/ (yet): looked at every round instead
        }
      }
      watched.set(dir, this.watchers.has(dir));
    }
    return watched;
  }

  /** Forgets changes seen so far: the next wait is for one after this point. */
  mark(): void {
    this.changed = false;
  }

  /** Resolves at the next change after mark() (at once if there was one), or after ms. */
  next(ms: number): Promise<void> {
    if (this.changed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private changedNow(): void {
    this.changed = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

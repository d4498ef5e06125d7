// The state of every service in runsvdir's table, kept by the endpoint: read from each service's
// supervise/ when inotify says it changed (and every 5 s as a fallback, and before each probe), with
// the restarts it saw counted. Listeners hear which service changed.
import { watch, type FSWatcher } from 'node:fs';
import { logDirsOf } from './log-tail.js';
import { readService, type ReadOutcome } from './service-reading.js';
import type { SupervisionTree, TreeService } from './tree.js';

export interface ServiceRecord extends TreeService {
  outcome: ReadOutcome;
  /** The supervisor's own count when it keeps one, else the restarts this endpoint saw (see observe). */
  restarts: number;
}

export interface StateListener {
  /** One service's record changed. */
  serviceChanged(record: ServiceRecord): void;
  /** Services came, went or were renamed. */
  listChanged(): void;
  /** A log of the service was written to (only while logs are watched). */
  logWritten(record: ServiceRecord): void;
}

interface Tracked {
  record: ServiceRecord;
  /** The pid last seen running ./run: a different one later is a restart. */
  lastRunPid: number | undefined;
  observedRestarts: number;
  watchers: { dir?: FSWatcher; supervise?: FSWatcher; logs: FSWatcher[] };
}

/** runit's periodic look: what inotify misses (a network file system) is read this often. */
const FALLBACK_MS = 5000;
/** Files in supervise/ whose changes say nothing about the state. */
const QUIET_NAMES = new Set(['control', 'ok', 'lock']);

const sameOutcome = (a: ReadOutcome, b: ReadOutcome): boolean => JSON.stringify(a) === JSON.stringify(b);

export class ServiceStates {
  private readonly tracked = new Map<string, Tracked>();
  private readonly pending = new Set<string>();
  private flushQueued = false;
  private logsWatched = false;
  private readonly fallback: NodeJS.Timeout;

  constructor(
    private readonly tree: SupervisionTree,
    private readonly listener: StateListener,
  ) {
    this.fallback = setInterval(() => {
      this.sync();
      this.refreshAll();
      if (this.logsWatched) this.rewatchLogs(); // log dirs made since
    }, FALLBACK_MS);
    this.fallback.unref();
    this.sync();
  }

  /** Every record, by name. */
  records(): ServiceRecord[] {
    return [...this.tracked.values()].map((t) => t.record).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Matches the records to runsvdir's table; tells the listener when the list changed. */
  sync(): void {
    const present = new Set<string>();
    let changed = false;
    for (const service of this.tree.services()) {
      present.add(service.key);
      const known = this.tracked.get(service.key);
      if (known && known.record.dir === service.dir) {
        known.record.name = service.name;
        continue;
      }
      if (known) this.unwatch(known);
      this.track(service);
      changed = true;
    }
    for (const [key, tracked] of this.tracked) {
      if (present.has(key)) continue;
      this.unwatch(tracked);
      this.tracked.delete(key);
      changed = true;
    }
    if (changed) this.listener.listChanged();
  }

  /** Reads every service again now (before answering a probe: never a stale answer). */
  refreshAll(): void {
    for (const key of this.tracked.keys()) this.refresh(key);
  }

  /** Watches the log dirs of every service (while the status page is open) or stops. */
  watchLogs(on: boolean): void {
    if (on === this.logsWatched) return;
    this.logsWatched = on;
    for (const tracked of this.tracked.values()) {
      if (on) this.watchLogDirs(tracked);
      else this.closeAll(tracked.watchers.logs.splice(0));
    }
  }

  private rewatchLogs(): void {
    for (const tracked of this.tracked.values()) {
      this.closeAll(tracked.watchers.logs.splice(0));
      this.watchLogDirs(tracked);
    }
  }

  close(): void {
    clearInterval(this.fallback);
    for (const tracked of this.tracked.values()) this.unwatch(tracked);
    this.tracked.clear();
  }

  private track(service: TreeService): void {
    const tracked: Tracked = {
      record: { name: service.name, dir: service.dir, key: service.key, outcome: readService(service.dir), restarts: 0 },
      lastRunPid: undefined,
      observedRestarts: 0,
      watchers: { logs: [] },
    };
    this.observe(tracked);
    this.tracked.set(service.key, tracked);
    this.watchService(tracked);
    if (this.logsWatched) this.watchLogDirs(tracked);
  }

  private refresh(key: string): void {
    const tracked = this.tracked.get(key);
    if (!tracked) return;
    this.watchService(tracked);
    const outcome = readService(tracked.record.dir);
    if (sameOutcome(outcome, tracked.record.outcome)) return;
    tracked.record.outcome = outcome;
    this.observe(tracked);
    this.listener.serviceChanged(tracked.record);
  }

  /**
   * Counts a restart when ./run is seen running with a pid other than the one last seen running:
   * starts this endpoint did not see (two within one read) are not counted, and nothing is counted
   * before the first one it saw.
   */
  private observe(tracked: Tracked): void {
    const { outcome } = tracked.record;
    if (outcome.kind === 'read' && outcome.reading.state === 'run' && outcome.reading.pid !== null) {
      if (tracked.lastRunPid !== undefined && tracked.lastRunPid !== outcome.reading.pid) tracked.observedRestarts++;
      tracked.lastRunPid = outcome.reading.pid;
    }
    tracked.record.restarts = (outcome.kind === 'read' ? outcome.reading.restarts : undefined) ?? tracked.observedRestarts;
  }

  /** A change seen by inotify: read once the current turn of the event loop is over. */
  private soon(key: string): void {
    this.pending.add(key);
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      const keys = [...this.pending];
      this.pending.clear();
      for (const pendingKey of keys) this.refresh(pendingKey);
    });
  }

  /** Watches the service dir (for `down` and supervise/ coming or going) and supervise/ (the state). */
  private watchService(tracked: Tracked): void {
    const { key, dir } = tracked.record;
    const { watchers } = tracked;
    watchers.dir ??= this.watchPath(dir, (name) => {
      if (name === 'supervise') {
        watchers.supervise?.close();
        watchers.supervise = undefined;
        this.watchService(tracked);
      }
      if (name === 'supervise' || name === 'down') this.soon(key);
    }, () => (watchers.dir = undefined));
    watchers.supervise ??= this.watchPath(`${dir}/supervise`, (name) => {
      if (name === null || !(QUIET_NAMES.has(name) || name.endsWith('.new'))) this.soon(key);
    }, () => (watchers.supervise = undefined));
  }

  private watchLogDirs(tracked: Tracked): void {
    for (const [, path] of logDirsOf(tracked.record.dir)) {
      const watcher = this.watchPath(path, (name) => {
        if (name === 'current') this.listener.logWritten(tracked.record);
      });
      if (watcher) tracked.watchers.logs.push(watcher);
    }
  }

  private watchPath(path: string, changed: (name: string | null) => void, ended?: () => void): FSWatcher | undefined {
    let watcher: FSWatcher;
    try {
      watcher = watch(path, { persistent: false }, (_event, name) => changed(name === null ? null : String(name)));
    } catch {
      return undefined; // not there yet: the fallback look tries again
    }
    // gone (the directory was removed): the next read watches again
    watcher.on('error', () => {
      watcher.close();
      ended?.();
    });
    return watcher;
  }

  private unwatch(tracked: Tracked): void {
    const { dir, supervise, logs } = tracked.watchers;
    this.closeAll([dir, supervise, ...logs]);
    tracked.watchers = { logs: [] };
  }

  private closeAll(watchers: Array<FSWatcher | undefined>): void {
    for (const watcher of watchers) watcher?.close();
  }
}

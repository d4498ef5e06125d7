// The one writer of supervise/pid, stat and status for a service and its log: runsv's update_status
// with its one "pid changed" flag, and the write a start holds until its child is spawned; and of
// runit-ts's supervise/extra.json beside them.
import type { StatusPort } from './service-machine.js';
import { statusView, type ServiceRecord, type Which } from './service-record.js';
import type { StatusRecord } from './status-files.js';
import type { ServiceStatus } from './supervisor-types.js';

/** Writes the three files of one record; false when pid had to be written and was not. */
export type WriteFiles = (which: Which, status: StatusRecord, pidChanged: boolean) => boolean;

interface Snapshot {
  which: Which;
  status: StatusRecord;
  view: ServiceStatus;
  pidChanged: boolean;
}

/**
 * runsv rewrites the status files at each change; so does this writer, in the same order. One thing
 * moves: when a change is followed at once by a start (a child ended and the service wants up, or
 * ./finish is due), runsv writes and then forks, which puts three renames (each a flush on ext4)
 * between a crash and the restart. Such a write is held and made right after the spawn, before the
 * new child's run status (see spawnNext in service-machine.ts); it is also made before anything
 * else is written, before any control handler runs and before the supervisor waits.
 */
export class StatusWriter implements StatusPort {
  /** runsv's `pidchanged`: one flag for the service and its log, set from the start. */
  private pidChanged = true;
  /** The pid of each record's previous snapshot: a new pid is what runsv's fork or reap flagged. */
  private readonly lastPid: Record<Which, number> = { service: 0, log: 0 };
  /** Made at the first hold: most supervisors never hold a write. */
  private held: Map<Which, Snapshot> | undefined;

  constructor(
    private readonly writeFiles: WriteFiles,
    /** Called after each write, with what it wrote. */
    private readonly written: (which: Which, view: ServiceStatus) => void,
    /** Writes supervise/extra.json for the service when it opted in (and it changed). */
    private readonly writeExtraFile: (s: ServiceRecord) => void = () => undefined,
  ) {}

  /**
   * The three files, and extra.json for the service: before them when they show a pid (so that a
   * reader who sees the pid finds extra.json written for it), after them when they show none. A held
   * write is made without extra.json: the write that follows it brings it.
   */
  write(s: ServiceRecord): void {
    this.flush(s);
    const withPid = s.which === 'service' && s.pid !== 0;
    if (withPid) this.writeExtraFile(s);
    this.put(this.snapshot(s));
    if (!withPid) this.writeExtra(s);
  }

  writeExtra(s: ServiceRecord): void {
    if (s.which === 'service') this.writeExtraFile(s);
  }

  hold(s: ServiceRecord): void {
    this.flush(s);
    (this.held ??= new Map()).set(s.which, this.snapshot(s));
  }

  flush(s?: ServiceRecord): void {
    const held = this.held;
    if (!held || held.size === 0) return; // the usual case, at every wait and start
    for (const which of s ? [s.which] : (['service', 'log'] as const)) {
      const snapshot = held.get(which);
      if (!snapshot) continue;
      held.delete(which);
      this.put(snapshot);
    }
  }

  private snapshot(s: ServiceRecord): Snapshot {
    if (s.pid !== this.lastPid[s.which]) {
      this.lastPid[s.which] = s.pid;
      this.pidChanged = true;
    }
    const status: StatusRecord = { state: s.state, want: s.want, paused: s.paused, gotTerm: s.gotTerm, pid: s.pid, stamp: s.stamp };
    return { which: s.which, status, view: statusView(s), pidChanged: this.pidChanged };
  }

  private put(snapshot: Snapshot): void {
    // runsv keeps its flag when the pid file could not be written, and clears it when it was
    if (!this.writeFiles(snapshot.which, snapshot.status, snapshot.pidChanged)) this.pidChanged = true;
    else if (snapshot.pidChanged) this.pidChanged = false;
    this.written(snapshot.which, snapshot.view);
  }
}

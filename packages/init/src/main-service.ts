// Container mode's main service: PID 1 learns that its ./run (and then its ./finish) has ended from its
// supervise/status (as runit's runsv and ours write it), watched with inotify; the ./finish records the
// code.
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { decodeStatus, type DecodedStatus } from '@runit-ts/protocol';

/** What the judge reads of a status. */
export type StatusSeen = Pick<DecodedStatus, 'stamp' | 'pid' | 'state'>;

const stampMs = (status: StatusSeen): number => status.stamp.seconds * 1000 + status.stamp.nanoseconds / 1e6;

/**
 * Reads a service's successive statuses and says when a ./run has ended and its ./finish (if any) has
 * ended too, so that the code the ./finish records is there. Statuses may be missed (only the latest
 * is read after each change), so an end shows as: `down` once a run or a finish was seen; a run with
 * another pid, or any run after a finish; or a second `down` with another stamp (runsv stamps every
 * ./run start and every return to down). A run that starts and ends before the first status is read
 * is taken for runsv's initial `down`: the end of the run runsv starts next is the one seen. A status
 * stamped before `notBefore` (ms since the epoch, PID 1's boot) is left from a previous run of the
 * container and ignored.
 */
export class MainRunJudge {
  private runPid: number | undefined;
  private finishing = false;
  private downStamp: number | undefined;

  constructor(private readonly notBefore: number) {}

  ended(status: StatusSeen): boolean {
    const stamp = stampMs(status);
    if (stamp < this.notBefore) return false;
    switch (status.state) {
      case 'finish':
        this.finishing = true;
        return false;
      case 'run':
        this.runPid ??= this.finishing ? undefined : status.pid;
        return status.pid !== this.runPid;
      case 'down':
        if (this.runPid !== undefined || this.finishing) return true;
        this.downStamp ??= stamp;
        return stamp !== this.downStamp;
      default:
        return false; // a state byte no runsv writes
    }
  }
}

function readStatus(path: string): DecodedStatus | undefined {
  try {
    return decodeStatus(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** Watches DIR/supervise (or DIR, until supervise/ appears) and calls onEnded once, when the judge says so. */
export class MainServiceWatch {
  private serviceWatcher: FSWatcher | undefined;
  private superviseWatcher: FSWatcher | undefined;
  private done = false;

  constructor(
    readonly dir: string,
    private readonly judge: MainRunJudge,
    private readonly onEnded: () => void,
  ) {}

  /**
   * Watches supervise/ once it exists, else the service dir for its creation, then looks at the status.
   * Called at boot and again at every one of PID 1's ticks (a supervise/ that is a symlink gets its
   * target from runsv, which the service dir's watch does not see).
   */
  attach(): void {
    if (this.done) return;
    if (!this.superviseWatcher) {
      this.superviseWatcher = this.watch(join(this.dir, 'supervise'), () => this.look(), () => (this.superviseWatcher = undefined));
      if (this.superviseWatcher) this.closeServiceWatcher();
      else this.serviceWatcher ??= this.watch(this.dir, () => this.attach(), () => (this.serviceWatcher = undefined));
    }
    this.look();
  }

  close(): void {
    this.done = true;
    this.closeServiceWatcher();
    this.superviseWatcher?.close();
    this.superviseWatcher = undefined;
  }

  private closeServiceWatcher(): void {
    this.serviceWatcher?.close();
    this.serviceWatcher = undefined;
  }

  private look(): void {
    if (this.done) return;
    const status = readStatus(join(this.dir, 'supervise', 'status'));
    if (status === undefined || !this.judge.ended(status)) return;
    this.close();
    this.onEnded();
  }

  /** An inotify watch that does not keep PID 1's loop alive; undefined when path cannot be watched yet. */
  private watch(path: string, onChange: () => void, onLost: () => void): FSWatcher | undefined {
    try {
      const watcher = watch(path, { persistent: false }, onChange);
      watcher.on('error', () => {
        watcher.close();
        onLost();
      });
      return watcher;
    } catch {
      return undefined;
    }
  }
}

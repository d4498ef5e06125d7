// runsv's per-service record (struct svdir): state, flags, pid and stamp of the service or its log,
// with the effects the state machine asks for delegated to the supervisor that owns it.
import { tai64nNow, type ServiceState, type Tai64n, type Want } from '@runit-ts/protocol';
import type { ServiceCtx } from './service-machine.js';
import type { ServiceStatus } from './supervisor-types.js';

/** What a record needs from its supervisor. */
export interface RecordOwner {
  /** runsv's one `pidchanged` flag, shared by the service and its log (it is a global in runsv.c). */
  pidChanged: boolean;
  writeStatus(record: ServiceRecord): void;
  runCustom(letter: string): Promise<boolean>;
  launch(record: ServiceRecord): Promise<void>;
  finishReadable(): boolean;
  holdOneSecond(): Promise<void>;
}

export type Which = 'service' | 'log';

const NANOS_PER_SECOND = 1_000_000_000n;
const nanos = (t: Tai64n): bigint => BigInt(t.seconds) * NANOS_PER_SECOND + BigInt(t.nanoseconds);

export class ServiceRecord implements ServiceCtx {
  state: ServiceState = 'down';
  want: Want = 'up';
  paused = false;
  gotTerm = false;
  wstat = 0;
  stamp: Tai64n = tai64nNow();
  /** Set while a failed exec's synthetic exit waits to be reaped: runit's transient status is skipped. */
  execFailed = false;
  private current = 0;

  constructor(
    readonly which: Which,
    private readonly owner: RecordOwner,
  ) {}

  get isLog(): boolean {
    return this.which === 'log';
  }

  get pid(): number {
    return this.current;
  }

  /** Every assignment marks the pid file for rewriting, as runsv does on each start and reap. */
  set pid(pid: number) {
    this.current = pid;
    this.owner.pidChanged = true;
  }

  writeStatus(): void {
    if (!this.execFailed) this.owner.writeStatus(this);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.current <= 0) return; // never kill(0, …): that would signal the whole host's group
    try {
      process.kill(this.current, signal);
    } catch {
      // already gone; runsv ignores kill's result too
    }
  }

  custom(letter: string): Promise<boolean> {
    return this.isLog ? Promise.resolve(false) : this.owner.runCustom(letter);
  }

  launch(): Promise<void> {
    return this.owner.launch(this);
  }

  finishReadable(): boolean {
    return !this.isLog && this.owner.finishReadable();
  }

  restamp(): boolean {
    const previous = this.stamp;
    this.stamp = tai64nNow();
    return nanos(this.stamp) < nanos(previous) + NANOS_PER_SECOND;
  }

  holdOneSecond(): Promise<void> {
    return this.owner.holdOneSecond();
  }

  /** The record as the library API shows it. */
  view(): ServiceStatus {
    return { state: this.state, want: this.want, pid: this.current, paused: this.paused, gotTerm: this.gotTerm, since: this.stamp };
  }
}

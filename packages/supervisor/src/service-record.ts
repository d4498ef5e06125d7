// runsv's per-service record (struct svdir) as plain data: the state, flags and pid of the service or
// its log, and runsv's waits (a control handler, a sleep) as fields the loop acts on.
import type { ServiceState, Tai64n, Want } from '@runit-ts/protocol';
import { newExtraState, type ExtraState } from './extra-state.js';
import type { ServiceStatus } from './supervisor-types.js';

export type Which = 'service' | 'log';

/** The control bytes a custom handler control/<letter> can take over (docs/runit-behaviour.md §3.4). */
export type HandlerLetter = 'u' | 't' | 'd' | 'x' | 'k' | 'p' | 'c' | 'h' | 'a' | 'i' | 'q' | '1' | '2';

export interface ServiceRecord {
  readonly which: Which;
  state: ServiceState;
  want: Want;
  paused: boolean;
  gotTerm: boolean;
  /** The running child (./run or ./finish, or log/run), 0 when none. */
  pid: number;
  /** Raw wait status of the last child reaped: ./finish's arguments. */
  wstat: number;
  /** The last state change: the supervisor's start, ./run's start, reaching down. */
  stamp: Tai64n;
  /**
   * Monotonic ms before which nothing more happens to this supervisor, 0 when there is no such
   * deadline: runsv's sleep(1) after a run shorter than a second, its sleep(5) after a failed fork.
   */
  notBefore: number;
  /** The start has done everything before the fork: the spawn comes next (after a handler, or the deadline). */
  spawnDue: boolean;
  /** The control handler whose exit the service waits for; the exit continues the action that started it. */
  awaiting: HandlerLetter | undefined;
  /** runit-ts's own: readiness, the restart policy, needs (unused for the log). */
  extra: ExtraState;
}

export function newRecord(which: Which, want: Want, stamp: Tai64n): ServiceRecord {
  return {
    which,
    state: 'down',
    want,
    paused: false,
    gotTerm: false,
    pid: 0,
    wstat: 0,
    stamp,
    notBefore: 0,
    spawnDue: false,
    awaiting: undefined,
    extra: newExtraState(),
  };
}

/** The record as the library API shows it. */
export const statusView = (s: ServiceRecord): ServiceStatus => ({
  state: s.state,
  want: s.want,
  pid: s.pid,
  paused: s.paused,
  gotTerm: s.gotTerm,
  since: s.stamp,
  ready: s.extra.ready,
  restarts: Math.max(0, s.extra.runs - 1),
  lastExit: s.extra.lastExit,
  failed: s.extra.failed,
  waitingOn: [...s.extra.waitingOn],
});

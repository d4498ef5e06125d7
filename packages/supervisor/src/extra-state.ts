// What a supervisor keeps about a service beyond runsv's record: readiness, the restart policy's
// bookkeeping, the needs waited on (docs/readiness-and-restarts.md). Plain data; the state machine
// changes it, supervise/extra.json shows it.
import { constants } from 'node:os';
import type { ExtraStatus, Failure, LastExit } from '@runit-ts/protocol';
import { PLAIN_CONFIG, type RestartPolicy, type ServiceConfig } from './service-config.js';

export interface ExtraState {
  /** The opt-in files as read at the last start of ./run. */
  config: ServiceConfig;
  /** Some opt-in file has been there since the supervisor started: supervise/extra.json is kept. */
  tracked: boolean;
  /** This ./run has said it is ready. */
  ready: boolean;
  /** Monotonic ms when it did (0 while not ready). */
  readyAt: number;
  /** Unix ms when it did (0 while not ready). */
  readySince: number;
  /** Monotonic ms of the last spawn of ./run. */
  startedAt: number;
  /** Spawns of ./run since the supervisor started. */
  runs: number;
  lastExit: LastExit | undefined;
  /** Taken down for good (want down) until `u`. */
  failed: Failure | undefined;
  /** The needs not yet up and ready, while a start waits for them. */
  waitingOn: string[];
  /** Monotonic ms since when it waits (0 when it does not). */
  waitingSince: number;
  /** Monotonic ms before which ./run is not started (a backoff), 0 for none; control bytes are read meanwhile. */
  startAfter: number;
  /** The wait after the next unhealthy run; 0 for the policy's first. */
  backoffMs: number;
  /** Monotonic ms of the deaths the tally counts, oldest first. */
  deaths: number[];
  /** The last ./run was ready (up, without readiness) for long enough to count as healthy. */
  lastRunHealthy: boolean;
}

export function newExtraState(): ExtraState {
  return {
    config: PLAIN_CONFIG,
    tracked: false,
    ready: false,
    readyAt: 0,
    readySince: 0,
    startedAt: 0,
    runs: 0,
    lastExit: undefined,
    failed: undefined,
    waitingOn: [],
    waitingSince: 0,
    startAfter: 0,
    backoffMs: 0,
    deaths: [],
    lastRunHealthy: false,
  };
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** A wait status as the exit code, or the signal's name. */
export function lastExitOf(wstat: number): LastExit {
  const signal = wstat & 0x7f;
  return signal === 0 ? { code: (wstat >> 8) & 0xff } : { signal: SIGNAL_NAMES.get(signal) ?? `SIG${signal}` };
}

/** Whether ./readiness is reported by this service's ./run at all. */
export const hasReadiness = (config: ServiceConfig): boolean => config.notificationFd !== undefined || config.notifySocket;

/** ./run has started: not ready until it says so again. */
export function noteRunStarted(x: ExtraState, now: number): void {
  x.runs++;
  x.startedAt = now;
  x.ready = false;
  x.readyAt = 0;
  x.readySince = 0;
  x.waitingOn = [];
  x.waitingSince = 0;
  x.startAfter = 0;
}

/** ./run ended (`asked`: the supervisor had sent TERM): the exit, whether the run was healthy, the tally. */
export function noteRunEnded(x: ExtraState, wstat: number, asked: boolean, now: number): void {
  const healthyMs = x.config.policy?.healthyMs ?? 0;
  const since = hasReadiness(x.config) ? x.readyAt : x.startedAt;
  x.lastExit = lastExitOf(wstat);
  x.lastRunHealthy = since !== 0 && now - since > healthyMs;
  if (!asked) countDeath(x, now);
  x.ready = false;
  x.readyAt = 0;
  x.readySince = 0;
}

/** A death nobody asked for, or a start that failed: what the death tally counts (when there is one). */
export function countDeath(x: ExtraState, now: number): void {
  if (x.config.policy?.deathTally) x.deaths.push(now);
}

/** The deaths within the policy's window, once that many make a permanent failure. */
export function tallyReached(x: ExtraState, policy: RestartPolicy, now: number): boolean {
  const tally = policy.deathTally;
  if (!tally) {
    x.deaths = [];
    return false;
  }
  x.deaths = x.deaths.filter((at) => now - at < tally.withinMs);
  return x.deaths.length >= tally.deaths;
}

/** The wait before the next start: none after a healthy run (s6), else the backoff, which then doubles up to its cap. */
export function nextBackoff(x: ExtraState, policy: RestartPolicy): number {
  if (x.lastRunHealthy) {
    x.backoffMs = 0;
    return 0;
  }
  const wait = Math.min(x.backoffMs || policy.backoffInitialMs, policy.backoffMaxMs);
  x.backoffMs = Math.min(wait * 2, policy.backoffMaxMs);
  return wait;
}

/** `u`: a failure is forgotten, the tally and the backoff start again, nothing is waited for. */
export function resetPolicy(x: ExtraState): void {
  x.failed = undefined;
  x.deaths = [];
  x.backoffMs = 0;
  cancelStart(x);
}

/** `d` or `x`: a start waiting for needs or a backoff is off. */
export function cancelStart(x: ExtraState): void {
  x.waitingOn = [];
  x.waitingSince = 0;
  x.startAfter = 0;
}

/** The extra status file's content for this state (pid: what supervise/status shows with it). */
export function extraStatusOf(x: ExtraState, supervisor: number, pid: number): ExtraStatus {
  const readiness: ExtraStatus['readiness'] = [];
  if (x.config.notificationFd !== undefined) readiness.push('notification-fd');
  if (x.config.notifySocket) readiness.push('notify-socket');
  return {
    supervisor,
    pid,
    readiness,
    ready: x.ready,
    readySince: x.ready ? x.readySince : null,
    restarts: Math.max(0, x.runs - 1),
    lastExit: x.lastExit ?? null,
    failed: x.failed ?? null,
    needs: [...x.waitingOn],
  };
}

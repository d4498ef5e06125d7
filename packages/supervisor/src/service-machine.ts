// runsv's per-service state machine (docs/runit-behaviour.md §3.3–3.5): a state × event table of small
// synchronous actions on a plain record. Effects go through ports; waits are data on the record.
import { CONTROL_BYTES, controlCommand, FORK_RETRY_MS, type ControlCommand, type FailureReason, type ServiceState, type Tai64n, type Want } from '@runit-ts/protocol';
import { cancelStart, countDeath, nextBackoff, resetPolicy, noteRunEnded, noteRunStarted, tallyReached } from './extra-state.js';
import { BEYOND } from './messages.js';
import type { RestartPolicy } from './service-config.js';
import type { HandlerLetter, ServiceRecord } from './service-record.js';

export type { ServiceState, Want };

/** The events control bytes stand for are protocol's control commands (`u` → 'up', …). */
export type ControlEvent = ControlCommand;
/**
 * A control byte, a reaped child (`childExit`), the loop's start of a service that needs one
 * (`start`), or the record's not-before deadline passing (`deadline`); beyond runit, ./run saying it
 * is ready (`ready`) and its needs not ready in time (`needsTimeout`).
 */
export type Event = ControlEvent | 'childExit' | 'start' | 'deadline' | 'ready' | 'needsTimeout';

/** supervise/pid, stat and status (see status-writer.ts). */
export interface StatusPort {
  /** Writes the record's status now, after any write held for it. */
  write(s: ServiceRecord): void;
  /** Holds the write until the start that follows has spawned its child (`flush`). */
  hold(s: ServiceRecord): void;
  /** Makes the write held for `s` (for every record when `s` is not given). */
  flush(s?: ServiceRecord): void;
  /** supervise/extra.json only (readiness, needs), for a service that opted in to any of it. */
  writeExtra(s: ServiceRecord): void;
}

/** What a start of ./run needs first (see needs-gate.ts). */
export interface StartPort {
  /** Reads the opt-in files into s.extra.config; the needs not yet up and ready ([] to start now). */
  prepare(s: ServiceRecord): string[];
}

/** A new child's pid, or why there is none. */
export type SpawnResult = number | 'fork-failed' | 'exec-failed';

/** The service's processes (see service-children.ts). */
export interface ChildPort {
  /**
   * Starts ./finish in state finish, else ./run (log/run for the log). 'fork-failed': nothing ran
   * (warned). 'exec-failed': reported as runit's child reports it; its exit 111 follows as a childExit.
   */
  spawn(s: ServiceRecord): SpawnResult;
  /** kill(pid, signal); nothing while pid is 0. */
  kill(s: ServiceRecord, signal: NodeJS.Signals): void;
  /** Whether control/<letter> exists with the owner-execute bit. */
  hasHandler(letter: HandlerLetter): boolean;
  /** Starts control/<letter>; false when it could not be (reported). Its exit comes back through handlerExited. */
  runHandler(letter: HandlerLetter): boolean;
  /** Whether ./finish can be opened for reading. */
  finishReadable(): boolean;
}

export interface Clock {
  /** Wall-clock time for the status stamp. */
  stamp(): Tai64n;
  /** Monotonic ms, for deadlines. */
  now(): number;
  /** Unix time in ms, for what extra.json shows. */
  epochMs(): number;
}

export interface Effects {
  status: StatusPort;
  children: ChildPort;
  starts: StartPort;
  clock: Clock;
  /** A warning line (`runsv NAME: warning: …`). */
  warn(text: string): void;
}

type Action = (s: ServiceRecord, fx: Effects) => void;
/** What comes after control/<letter>: `handled` when it exited 0, false when there was none to run. */
type Continuation = (s: ServiceRecord, fx: Effects, handled: boolean) => void;

/** runsv's sleep(1) when a child ran less than a second. */
export const HOLD_MS = 1000;

/**
 * Whether the loop starts this service: nothing runs and it wants up, or ./finish is due, or a start
 * (`o` too) waits for its needs. A backoff (extra.startAfter) is the loop's to wait out.
 */
export const needsStart = (s: ServiceRecord): boolean =>
  // run with pid 0 is a child that could not exec, whose exit 111 is on its way
  s.pid === 0 && s.state !== 'run' && (s.want === 'up' || s.state === 'finish' || s.extra.waitingOn.length > 0);

/** A start follows this write at once, so the write waits for its spawn (see spawnNext). */
const startsNext = (s: ServiceRecord): boolean =>
  needsStart(s) && s.notBefore === 0 && s.extra.startAfter === 0 && s.extra.waitingOn.length === 0;

const writeStatus = (s: ServiceRecord, fx: Effects): void => (startsNext(s) ? fx.status.hold(s) : fx.status.write(s));

/**
 * The start's last step, in the order runit-ts gives it: spawn first, then the status runsv wrote
 * before its fork (down or finish, pid 0, held since the last child ended), then run with the new pid.
 * A failed fork is tried again at a deadline, as runsv sleeps 5 s; control/u does not run again.
 */
function spawnNext(s: ServiceRecord, fx: Effects): void {
  const child = fx.children.spawn(s);
  if (child !== 'fork-failed') s.pid = child === 'exec-failed' ? 0 : child;
  fx.status.flush(s);
  if (child === 'fork-failed') {
    s.spawnDue = true;
    s.notBefore = fx.clock.now() + FORK_RETRY_MS;
    return;
  }
  s.spawnDue = false;
  if (s.state !== 'finish') {
    s.stamp = fx.clock.stamp();
    s.state = 'run';
    if (s.which === 'service') noteRunStarted(s.extra, fx.clock.now());
  }
  s.paused = false;
  s.gotTerm = false;
  // runit writes run with the pid of a child that then fails to exec; that status is skipped
  if (child !== 'exec-failed') fx.status.write(s);
}

/**
 * Runs control/<letter> when the service has one, else goes straight on. The loop waits for the
 * handler's exit, then handlerExited continues; every held status is written first, so that the
 * handler sees the files as runsv would have written them.
 */
function guarded(s: ServiceRecord, fx: Effects, letter: HandlerLetter): void {
  if (s.which === 'service' && fx.children.hasHandler(letter)) {
    fx.status.flush();
    if (fx.children.runHandler(letter)) {
      s.awaiting = letter;
      return;
    }
  }
  afterHandler[letter](s, fx, false);
}

/** ./run (control/u first, on every start) or, in state finish, ./finish. */
const startRun: Action = (s, fx) => {
  if (s.which === 'service' && !needsMet(s, fx)) return;
  guarded(s, fx, 'u');
};

/** The needs are up and ready (or there are none); else the start waits, and extra.json says for what. */
function needsMet(s: ServiceRecord, fx: Effects): boolean {
  const x = s.extra;
  const unmet = fx.starts.prepare(s);
  if (unmet.length === 0) {
    x.waitingOn = [];
    x.waitingSince = 0;
    return true;
  }
  const changed = unmet.join('\n') !== x.waitingOn.join('\n');
  x.waitingOn = unmet;
  if (x.waitingSince === 0) x.waitingSince = fx.clock.now();
  fx.status.flush(s);
  if (changed) fx.status.writeExtra(s);
  return false;
}
const startFinish: Action = (s, fx) => spawnNext(s, fx);

/** The stop sequence of d, x and t (docs/runit-behaviour.md §3.4): control/t or TERM, then CONT and control/d or x. */
const stop: Action = (s, fx) => (s.pid !== 0 ? guarded(s, fx, 't') : stopTail(s, fx));

function stopTail(s: ServiceRecord, fx: Effects): void {
  const letter = s.want === 'down' ? 'd' : s.want === 'exit' ? 'x' : undefined;
  if (!letter) return stopDone(s, fx);
  fx.children.kill(s, 'SIGCONT'); // even after a successful control/t
  guarded(s, fx, letter);
}

/** The stop sequence is over; a start that had to stop a child left by `k` spawns now. */
const stopDone: Action = (s, fx) => {
  if (s.spawnDue) spawnNext(s, fx);
};

const signalUnlessHandled =
  (signal: NodeJS.Signals): Continuation =>
  (s, fx, handled) => {
    if (!handled) fx.children.kill(s, signal);
  };

/** What each handler's exit continues; a handler exiting 0 takes the place of the default signal. */
const afterHandler: Record<HandlerLetter, Continuation> = {
  // runit's "should never happen": a child left by `k` is stopped before the new one starts
  u: (s, fx) => {
    if (s.pid === 0) return spawnNext(s, fx);
    s.spawnDue = true;
    stop(s, fx);
  },
  t: (s, fx, handled) => {
    if (!handled) {
      fx.children.kill(s, 'SIGTERM');
      s.gotTerm = true;
      writeStatus(s, fx);
    }
    stopTail(s, fx);
  },
  d: stopDone,
  x: stopDone,
  // k: down at once, without a status write (runit)
  k: (s, fx, handled) => {
    if (!handled) fx.children.kill(s, 'SIGKILL');
    s.state = 'down';
  },
  p: (s, fx, handled) => {
    if (!handled) fx.children.kill(s, 'SIGSTOP');
    setPaused(s, fx);
  },
  c: (s, fx, handled) => {
    if (!handled) fx.children.kill(s, 'SIGCONT');
    clearPaused(s, fx);
  },
  h: signalUnlessHandled('SIGHUP'),
  a: signalUnlessHandled('SIGALRM'),
  i: signalUnlessHandled('SIGINT'),
  q: signalUnlessHandled('SIGQUIT'),
  '1': signalUnlessHandled('SIGUSR1'),
  '2': signalUnlessHandled('SIGUSR2'),
};

const setWant =
  (want: Want): Action =>
  (s, fx) => {
    s.want = want;
    writeStatus(s, fx);
  };

/** `u`: a permanent failure is forgotten, and the restart policy starts afresh. */
const forgetFailure: Action = (s) => resetPolicy(s.extra);
/** `d`, `x`, `o`: a start waiting for needs or a backoff is off. */
const cancelWaits: Action = (s) => cancelStart(s.extra);

const then =
  (...actions: Action[]): Action =>
  (s, fx) => {
    for (const act of actions) act(s, fx);
  };

const setPaused: Action = (s, fx) => {
  s.paused = true;
  writeStatus(s, fx);
};

const clearPaused: Action = (s, fx) => {
  s.paused = false;
  writeStatus(s, fx);
};

const LETTER = Object.fromEntries(Object.entries(CONTROL_BYTES).map(([letter, event]) => [event, letter])) as Record<ControlEvent, HandlerLetter>;

/** A signal byte: control/<letter>, or the signal it stands for. */
const signalByte =
  (event: ControlEvent): Action =>
  (s, fx) =>
    guarded(s, fx, LETTER[event]);

/** `k` during ./finish: finish keeps running but the state says down (its exit reruns finish). */
const markDown: Action = (s) => {
  s.state = 'down';
};

const lessThanASecond = (from: Tai64n, to: Tai64n): boolean =>
  to.seconds - from.seconds < 1 || (to.seconds - from.seconds === 1 && to.nanoseconds < from.nanoseconds);

/**
 * Reached down: stamp now, status; after a run of less than a second, nothing more for a second.
 * With a restart-policy, its rules instead (see afterDeath).
 */
const reachDown: Action = (s, fx) => {
  const previous = s.stamp;
  const finishStatus = s.state === 'finish' ? s.wstat : undefined;
  s.state = 'down';
  s.stamp = fx.clock.stamp();
  const policy = s.which === 'service' ? s.extra.config.policy : undefined;
  if (policy) afterDeath(s, fx, policy, finishStatus);
  else if (lessThanASecond(previous, s.stamp)) s.notBefore = fx.clock.now() + HOLD_MS;
  writeStatus(s, fx);
};

const exitedWith = (wstat: number, code: number): boolean => (wstat & 0x7f) === 0 && (wstat >> 8) === code;

/**
 * The restart policy after ./run (and ./finish) ended: s6's permanent failure when ./finish exited
 * 125, or when the death tally is reached; else the backoff (none after a healthy run), waited out
 * by the loop while control bytes are read.
 */
function afterDeath(s: ServiceRecord, fx: Effects, policy: RestartPolicy, finishStatus: number | undefined): void {
  const x = s.extra;
  const now = fx.clock.now();
  if (s.want === 'exit') return;
  if (finishStatus !== undefined && exitedWith(finishStatus, 125)) return fail(s, fx, 'finish-exit-125');
  if (tallyReached(x, policy, now)) return fail(s, fx, 'death-tally');
  if (s.want !== 'up') return;
  const wait = nextBackoff(x, policy);
  if (wait === 0) return;
  x.startAfter = now + wait;
  fx.warn(BEYOND.restartIn(wait));
}

/** Down until `u`: want down (what runit's sv and svstat show), the reason in extra.json, a warning. */
function fail(s: ServiceRecord, fx: Effects, reason: FailureReason): void {
  const x = s.extra;
  s.want = 'down';
  x.failed = { reason, since: fx.clock.epochMs() };
  x.startAfter = 0;
  x.backoffMs = 0;
  const tally = x.config.policy?.deathTally;
  fx.warn(reason === 'finish-exit-125' || !tally ? BEYOND.finishFailure : BEYOND.tallyFailure(tally.deaths, tally.withinMs));
}

/** ./run said it is ready (the supervisor checked it is the running one): extra.json says so. */
const becomeReady: Action = (s, fx) => {
  const x = s.extra;
  if (x.ready) return;
  x.ready = true;
  x.readyAt = fx.clock.now();
  x.readySince = fx.clock.epochMs();
  fx.status.writeExtra(s);
};

/** The needs were not up and ready in time: a failed start under the restart policy (runit's rule: 1 s). */
const startFailed: Action = (s, fx) => {
  const x = s.extra;
  const now = fx.clock.now();
  const policy = x.config.policy;
  fx.warn(BEYOND.needsTimeout(x.waitingOn, x.config.needsTimeoutMs));
  cancelStart(x);
  x.lastRunHealthy = false;
  countDeath(x, now);
  if (policy && tallyReached(x, policy, now)) {
    fail(s, fx, 'death-tally');
    writeStatus(s, fx);
    return;
  }
  x.startAfter = now + (policy ? nextBackoff(x, policy) : HOLD_MS);
  fx.status.writeExtra(s);
};

/** ./run (or a child left by `k`) ended: ./finish next if it is readable, else down. */
const runEnded: Action = (s, fx) => {
  if (s.which === 'service' && fx.children.finishReadable()) {
    s.state = 'finish';
    writeStatus(s, fx);
    return;
  }
  reachDown(s, fx);
};

/** The deadline passed: a start that could not fork tries again. */
const deadlinePassed: Action = (s, fx) => {
  s.notBefore = 0;
  if (s.spawnDue) spawnNext(s, fx);
};

/** A missing cell is a deliberate no-op (e.g. `t` while down, a signal byte while finish runs). */
const on: Record<ServiceState, Partial<Record<Event, Action>>> = {
  down: {
    start: startRun,
    up: then(forgetFailure, setWant('up'), startRun),
    once: then(cancelWaits, setWant('down'), startRun),
    down: then(cancelWaits, setWant('down')),
    exit: then(cancelWaits, setWant('exit')),
    pause: setPaused,
    cont: clearPaused,
    childExit: runEnded,
    deadline: deadlinePassed,
    needsTimeout: startFailed,
  },
  run: {
    up: setWant('up'),
    once: setWant('down'),
    down: then(setWant('down'), stop),
    exit: then(setWant('exit'), stop),
    term: stop,
    kill: signalByte('kill'),
    pause: signalByte('pause'),
    cont: signalByte('cont'),
    hup: signalByte('hup'),
    alarm: signalByte('alarm'),
    interrupt: signalByte('interrupt'),
    quit: signalByte('quit'),
    usr1: signalByte('usr1'),
    usr2: signalByte('usr2'),
    childExit: runEnded,
    ready: becomeReady,
  },
  finish: {
    start: startFinish,
    up: setWant('up'),
    once: setWant('down'),
    down: setWant('down'),
    exit: setWant('exit'),
    kill: markDown,
    pause: setPaused,
    cont: clearPaused,
    childExit: reachDown,
    deadline: deadlinePassed,
  },
};

/** The tables themselves, for tests and documentation. */
export const transitions: Readonly<Record<ServiceState, Readonly<Partial<Record<Event, Action>>>>> = on;
export const continuations: Readonly<Record<HandlerLetter, Continuation>> = afterHandler;

export function dispatch(s: ServiceRecord, fx: Effects, event: Event): void {
  on[s.state][event]?.(s, fx);
}

/** Bookkeeping runsv does for every reaped child of a service, before the table decides. */
export function childExited(s: ServiceRecord, fx: Effects, wstat: number): void {
  // beyond runit: how ./run ended, and whether the stop sequence had asked it to (TERM sent)
  if (s.which === 'service' && s.state !== 'finish') noteRunEnded(s.extra, wstat, s.gotTerm, fx.clock.now());
  s.pid = 0;
  s.wstat = wstat;
  s.gotTerm = false;
  dispatch(s, fx, 'childExit');
}

/** The handler the service waited for has exited: the action that started it goes on. */
export function handlerExited(s: ServiceRecord, fx: Effects, handled: boolean): void {
  const letter = s.awaiting;
  if (letter === undefined) return;
  s.awaiting = undefined;
  afterHandler[letter](s, fx, handled);
}

/** The event a control byte stands for; unknown bytes, and `x` on the log's FIFO, are ignored. */
export function controlEvent(byte: number, isLog: boolean): ControlEvent | undefined {
  const event = controlCommand(byte);
  return isLog && event === 'exit' ? undefined : event;
}

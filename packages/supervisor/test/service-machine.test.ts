// The state table and the handler continuations, cell by cell, with no process, file or timer: the
// effects are written down, the clock is a number. Each non-empty cell has a case, and a test checks that.
import { describe, expect, it } from 'vitest';
import { FORK_RETRY_MS, type Tai64n } from '@runit-ts/protocol';
import { finishArguments } from '../src/child-start.js';
import {
  childExited,
  continuations,
  controlEvent,
  dispatch,
  handlerExited,
  HOLD_MS,
  needsStart,
  transitions,
  type ChildPort,
  type Clock,
  type Effects,
  type Event,
  type SpawnResult,
  type StartPort,
  type StatusPort,
} from '../src/service-machine.js';
import { newRecord, type HandlerLetter, type ServiceRecord } from '../src/service-record.js';
import { newExtraState, type ExtraState } from '../src/extra-state.js';
import { DEFAULT_POLICY, PLAIN_CONFIG, type RestartPolicy } from '../src/service-config.js';

/** The record's runit-ts state: the defaults with these fields. */
const extra = (fields: Partial<ExtraState>): ExtraState => ({ ...newExtraState(), ...fields });

const NOW: Tai64n = { seconds: 1_000, nanoseconds: 500 };
const LONG_AGO: Tai64n = { seconds: 900, nanoseconds: 500 };
const JUST_NOW: Tai64n = { seconds: 999, nanoseconds: 600_000_500 };
const MONOTONIC = 50_000;
const EPOCH_MS = 1_700_000_000_000;

const describeRecord = (s: ServiceRecord): string =>
  `${s.state} want=${s.want}${s.paused ? ' paused' : ''}${s.gotTerm ? ' term' : ''} pid=${s.pid}`;

/** Effects that write down what the table asks for instead of doing it. */
class Recorder implements Effects {
  readonly log: string[] = [];
  /** control/<letter> handlers that exist. */
  readonly handlers = new Set<string>();
  hasFinish = false;
  nextSpawn: SpawnResult = 42;

  readonly status: StatusPort = {
    write: (s) => this.log.push(`write ${describeRecord(s)}`),
    hold: (s) => this.log.push(`hold ${describeRecord(s)}`),
    flush: (s) => this.log.push(s ? `flush ${s.which}` : 'flush all'),
    writeExtra: (s) => this.log.push(`extra ${describeRecord(s)}${s.extra.ready ? ' ready' : ''}${s.extra.waitingOn.length ? ` waiting ${s.extra.waitingOn.join(',')}` : ''}`),
  };
  /** The needs not yet ready, as StartPort.prepare answers. */
  unmet: string[] = [];
  readonly starts: StartPort = { prepare: () => [...this.unmet] };
  readonly children: ChildPort = {
    spawn: (s) => {
      this.log.push(`spawn ${s.state === 'finish' ? './finish' : s.which === 'log' ? 'log/run' : './run'}`);
      return this.nextSpawn;
    },
    kill: (_, signal) => this.log.push(`kill ${signal}`),
    hasHandler: (letter) => this.handlers.has(letter),
    runHandler: (letter) => (this.log.push(`control/${letter}`), true),
    finishReadable: () => this.hasFinish,
  };
  /** The monotonic clock's reading. */
  monotonic = MONOTONIC;
  readonly clock: Clock = { stamp: () => NOW, now: () => this.monotonic, epochMs: () => EPOCH_MS };
  readonly warn = (text: string): void => void this.log.push(`warn ${text}`);
}

type Given = Partial<Omit<ServiceRecord, 'which'>> & { log?: boolean };

function record(given: Given = {}): ServiceRecord {
  const { log, ...fields } = given;
  return Object.assign(newRecord(log ? 'log' : 'service', 'up', LONG_AGO), fields);
}

interface Case {
  /** What the test shows, after "state × event". */
  what: string;
  state: ServiceRecord['state'];
  event: Event;
  given?: Given;
  /** control/<letter> handlers that exist. */
  handlers?: string[];
  hasFinish?: boolean;
  spawns?: SpawnResult;
  /** For childExit: the wait status reaped. */
  wstat?: number;
  effects: string[];
  then: Partial<ServiceRecord>;
}

const start = (want: string) => ['spawn ./run', 'flush service', `write run want=${want} pid=42`];

const cases: Case[] = [
  // down
  { what: 'nothing runs, want up: ./run spawned, then the held status, then run', state: 'down', event: 'start', effects: start('up'), then: { state: 'run', pid: 42, stamp: NOW } },
  { what: 'control/u first, with every held status written before it runs', state: 'down', event: 'start', handlers: ['u'], effects: ['flush all', 'control/u'], then: { state: 'down', pid: 0, awaiting: 'u' } },
  { what: 'want up, the write held for the start that follows', state: 'down', event: 'up', given: { want: 'down' }, effects: ['hold down want=up pid=0', ...start('up')], then: { state: 'run', want: 'up', pid: 42 } },
  { what: 'want down written, then ./run once', state: 'down', event: 'once', effects: ['write down want=down pid=0', ...start('down')], then: { state: 'run', want: 'down' } },
  { what: 'a child left by k is stopped before the new one starts (runit)', state: 'down', event: 'up', given: { pid: 41, want: 'down' }, effects: ['write down want=up pid=41', 'kill SIGTERM', 'write down want=up term pid=41', 'spawn ./run', 'flush service', 'write run want=up pid=42'], then: { state: 'run', pid: 42, gotTerm: false, spawnDue: false } },
  { what: 'want down and status only', state: 'down', event: 'down', effects: ['write down want=down pid=0'], then: { state: 'down', want: 'down' } },
  { what: 'want exit and status only', state: 'down', event: 'exit', effects: ['write down want=exit pid=0'], then: { state: 'down', want: 'exit' } },
  { what: 'paused flag set even though nothing runs', state: 'down', event: 'pause', given: { want: 'down' }, effects: ['write down want=down paused pid=0'], then: { paused: true } },
  { what: 'paused flag cleared, no signal', state: 'down', event: 'cont', given: { want: 'down', paused: true }, effects: ['write down want=down pid=0'], then: { paused: false } },
  { what: 'a child left by k is reaped: ./finish is next when readable', state: 'down', event: 'childExit', given: { pid: 42 }, hasFinish: true, wstat: 9, effects: ['hold finish want=up pid=0'], then: { state: 'finish', pid: 0, wstat: 9 } },
  { what: 'the fork-retry deadline passed: the spawn again, control/u not again', state: 'down', event: 'deadline', given: { notBefore: MONOTONIC, spawnDue: true }, handlers: ['u'], effects: start('up'), then: { state: 'run', pid: 42, notBefore: 0, spawnDue: false } },
  { what: 'the 1-second deadline passed: nothing but the deadline cleared', state: 'down', event: 'deadline', given: { notBefore: MONOTONIC }, effects: [], then: { state: 'down', notBefore: 0 } },
  { what: '(runit-ts) its needs not ready in time: a failed start, the next in a second without blocking', state: 'down', event: 'needsTimeout', given: { extra: extra({ waitingOn: ['db'], waitingSince: 1 }) }, effects: ['warn ./needs: not up and ready after 60 s: db', 'extra down want=up pid=0'], then: { notBefore: 0, extra: { waitingOn: [], waitingSince: 0, startAfter: MONOTONIC + HOLD_MS } } },
  // run
  { what: 'want up, status, nothing started', state: 'run', event: 'up', given: { pid: 42, want: 'down' }, effects: ['write run want=up pid=42'], then: { state: 'run', want: 'up' } },
  { what: 'want down, status, not restarted', state: 'run', event: 'once', given: { pid: 42 }, effects: ['write run want=down pid=42'], then: { want: 'down' } },
  { what: 'stop sequence: TERM, got TERM, CONT, control/d looked for', state: 'run', event: 'down', given: { pid: 42 }, effects: ['write run want=down pid=42', 'kill SIGTERM', 'write run want=down term pid=42', 'kill SIGCONT'], then: { want: 'down', gotTerm: true, state: 'run' } },
  { what: 'stop sequence with control/t and control/d: the handler first', state: 'run', event: 'down', given: { pid: 42 }, handlers: ['t', 'd'], effects: ['write run want=down pid=42', 'flush all', 'control/t'], then: { awaiting: 't', gotTerm: false } },
  { what: 'stop sequence ending with CONT (control/x looked for)', state: 'run', event: 'exit', given: { pid: 42 }, effects: ['write run want=exit pid=42', 'kill SIGTERM', 'write run want=exit term pid=42', 'kill SIGCONT'], then: { want: 'exit', gotTerm: true } },
  { what: 'TERM with want up: no CONT, no control/d', state: 'run', event: 'term', given: { pid: 42 }, effects: ['kill SIGTERM', 'write run want=up term pid=42'], then: { gotTerm: true, want: 'up' } },
  { what: 'KILL, then down at once without a status write', state: 'run', event: 'kill', given: { pid: 42 }, effects: ['kill SIGKILL'], then: { state: 'down', pid: 42 } },
  { what: 'STOP and the paused flag', state: 'run', event: 'pause', given: { pid: 42 }, effects: ['kill SIGSTOP', 'write run want=up paused pid=42'], then: { paused: true } },
  { what: 'CONT and the paused flag cleared', state: 'run', event: 'cont', given: { pid: 42, paused: true }, effects: ['kill SIGCONT', 'write run want=up pid=42'], then: { paused: false } },
  { what: 'HUP', state: 'run', event: 'hup', given: { pid: 42 }, effects: ['kill SIGHUP'], then: {} },
  { what: 'control/h instead of HUP, waited for', state: 'run', event: 'hup', given: { pid: 42 }, handlers: ['h'], effects: ['flush all', 'control/h'], then: { awaiting: 'h' } },
  { what: 'ALRM', state: 'run', event: 'alarm', given: { pid: 42 }, effects: ['kill SIGALRM'], then: {} },
  { what: 'INT', state: 'run', event: 'interrupt', given: { pid: 42 }, effects: ['kill SIGINT'], then: {} },
  { what: 'QUIT', state: 'run', event: 'quit', given: { pid: 42 }, effects: ['kill SIGQUIT'], then: {} },
  { what: 'USR1', state: 'run', event: 'usr1', given: { pid: 42 }, effects: ['kill SIGUSR1'], then: {} },
  { what: 'USR2', state: 'run', event: 'usr2', given: { pid: 42 }, effects: ['kill SIGUSR2'], then: {} },
  { what: '(runit-ts) ./run said it is ready: extra.json only', state: 'run', event: 'ready', given: { pid: 42 }, effects: ['extra run want=up pid=42 ready'], then: { extra: { ready: true, readyAt: MONOTONIC, readySince: EPOCH_MS } } },
  { what: './run ended after a second: down, the write held for the restart', state: 'run', event: 'childExit', given: { pid: 42, gotTerm: true }, wstat: 15, effects: ['hold down want=up pid=0'], then: { state: 'down', pid: 0, gotTerm: false, wstat: 15, stamp: NOW, notBefore: 0 } },
  { what: './run ended within a second: down written at once, nothing more for a second', state: 'run', event: 'childExit', given: { pid: 42, stamp: JUST_NOW }, effects: ['write down want=up pid=0'], then: { state: 'down', notBefore: MONOTONIC + HOLD_MS } },
  { what: './run ended with ./finish readable: finish next, the stamp kept', state: 'run', event: 'childExit', given: { pid: 42, want: 'down' }, hasFinish: true, wstat: 3 << 8, effects: ['hold finish want=down pid=0'], then: { state: 'finish', stamp: LONG_AGO, wstat: 3 << 8 } },
  { what: 'the log has no ./finish', state: 'run', event: 'childExit', given: { pid: 42, log: true }, hasFinish: true, effects: ['hold down want=up pid=0'], then: { state: 'down' } },
  // finish
  { what: './finish spawned, then the held status, then finish with its pid; stamp kept', state: 'finish', event: 'start', given: { want: 'down' }, handlers: ['u'], effects: ['spawn ./finish', 'flush service', 'write finish want=down pid=42'], then: { state: 'finish', pid: 42, stamp: LONG_AGO } },
  { what: 'want up and status; finish goes on', state: 'finish', event: 'up', given: { pid: 43, want: 'down' }, effects: ['write finish want=up pid=43'], then: { state: 'finish', want: 'up' } },
  { what: 'want down and status; nothing started', state: 'finish', event: 'once', given: { pid: 43 }, effects: ['write finish want=down pid=43'], then: { state: 'finish', want: 'down' } },
  { what: 'want down and status; finish is not stopped', state: 'finish', event: 'down', given: { pid: 43 }, effects: ['write finish want=down pid=43'], then: { state: 'finish', want: 'down' } },
  { what: 'want exit and status; finish is not stopped', state: 'finish', event: 'exit', given: { pid: 43 }, effects: ['write finish want=exit pid=43'], then: { state: 'finish', want: 'exit' } },
  { what: 'finish is not killed, the state says down (quirk)', state: 'finish', event: 'kill', given: { pid: 43 }, effects: [], then: { state: 'down', pid: 43 } },
  { what: 'paused flag only', state: 'finish', event: 'pause', given: { pid: 43 }, effects: ['write finish want=up paused pid=43'], then: { paused: true } },
  { what: 'paused flag cleared only', state: 'finish', event: 'cont', given: { pid: 43, paused: true }, effects: ['write finish want=up pid=43'], then: { paused: false } },
  { what: './finish ended: down, stamped, the write held for the restart', state: 'finish', event: 'childExit', given: { pid: 43 }, effects: ['hold down want=up pid=0'], then: { state: 'down', pid: 0, stamp: NOW } },
  { what: 'the fork-retry deadline passed: ./finish again', state: 'finish', event: 'deadline', given: { notBefore: MONOTONIC, spawnDue: true }, effects: ['spawn ./finish', 'flush service', 'write finish want=up pid=42'], then: { state: 'finish', pid: 42, notBefore: 0 } },
];

function play(c: Case): { s: ServiceRecord; fx: Recorder } {
  const fx = new Recorder();
  for (const letter of c.handlers ?? []) fx.handlers.add(letter);
  fx.hasFinish = c.hasFinish ?? false;
  if (c.spawns !== undefined) fx.nextSpawn = c.spawns;
  const s = record({ state: c.state, ...c.given });
  if (c.event === 'childExit') childExited(s, fx, c.wstat ?? 0);
  else dispatch(s, fx, c.event);
  return { s, fx };
}

describe('service machine: the state table, one test per non-empty cell', () => {
  it.each(cases.map((c) => [`${c.state} × ${c.event}: ${c.what}`, c] as const))('%s', (_, c) => {
    const { s, fx } = play(c);
    expect(fx.log).toEqual(c.effects);
    expect(s).toMatchObject(c.then);
  });

  it('covers every non-empty cell of the table, and no empty one', () => {
    const cells = Object.entries(transitions).flatMap(([state, row]) => Object.keys(row).map((event) => `${state} × ${event}`));
    expect(new Set(cases.map((c) => `${c.state} × ${c.event}`))).toEqual(new Set(cells));
  });

  it.each(['down', 'finish'] as const)('ignores t and the signal bytes while %s', (state) => {
    for (const event of ['term', 'hup', 'alarm', 'interrupt', 'quit', 'usr1', 'usr2'] as const) {
      const fx = new Recorder();
      fx.handlers.add('t');
      dispatch(record({ state, pid: state === 'finish' ? 43 : 0 }), fx, event);
      expect(fx.log).toEqual([]);
    }
  });

  it('k while down does nothing at all', () => {
    const fx = new Recorder();
    const s = record();
    dispatch(s, fx, 'kill');
    expect(fx.log).toEqual([]);
    expect(s.state).toBe('down');
  });

  it('the log never runs a control handler', () => {
    const fx = new Recorder();
    fx.handlers.add('u').add('h');
    const s = record({ log: true });
    dispatch(s, fx, 'start');
    dispatch(s, fx, 'hup');
    expect(fx.log).toEqual(['spawn log/run', 'flush log', 'write run want=up pid=42', 'kill SIGHUP']);
  });
});

describe('service machine: spawn results', () => {
  it('a failed fork: the held status is written, the spawn waits for a 5-second deadline', () => {
    const fx = new Recorder();
    fx.nextSpawn = 'fork-failed';
    const s = record();
    dispatch(s, fx, 'start');
    expect(fx.log).toEqual(['spawn ./run', 'flush service']);
    expect(s).toMatchObject({ state: 'down', pid: 0, spawnDue: true, notBefore: MONOTONIC + FORK_RETRY_MS });
    expect(needsStart(s)).toBe(true);
  });

  it('a child that could not exec: state run with no pid and no status write (its exit 111 follows)', () => {
    const fx = new Recorder();
    fx.nextSpawn = 'exec-failed';
    const s = record();
    dispatch(s, fx, 'start');
    expect(fx.log).toEqual(['spawn ./run', 'flush service']);
    expect(s).toMatchObject({ state: 'run', pid: 0, stamp: NOW });
    expect(needsStart(s)).toBe(false); // not started again before that exit is reaped
    childExited(s, fx, 111 << 8);
    expect(s).toMatchObject({ state: 'down', wstat: 111 << 8, notBefore: MONOTONIC + HOLD_MS });
  });
});

interface Continuation {
  letter: HandlerLetter;
  handled: boolean;
  given?: Given;
  effects: string[];
  then: Partial<ServiceRecord>;
}

const continued: Continuation[] = [
  { letter: 'u', handled: false, effects: start('up'), then: { state: 'run', pid: 42 } },
  { letter: 'u', handled: true, effects: start('up'), then: { state: 'run', pid: 42 } }, // control/u's result is ignored
  { letter: 't', handled: false, given: { state: 'run', pid: 42, want: 'down' }, effects: ['kill SIGTERM', 'write run want=down term pid=42', 'kill SIGCONT'], then: { gotTerm: true } },
  { letter: 't', handled: true, given: { state: 'run', pid: 42, want: 'down' }, effects: ['kill SIGCONT'], then: { gotTerm: false } }, // CONT even so
  { letter: 'd', handled: false, given: { state: 'run', pid: 42, want: 'down' }, effects: [], then: { state: 'run' } },
  { letter: 'd', handled: true, given: { pid: 41, spawnDue: true }, effects: start('up'), then: { state: 'run', pid: 42 } }, // a start that stopped a leftover child
  { letter: 'x', handled: true, given: { state: 'run', pid: 42, want: 'exit' }, effects: [], then: { want: 'exit' } },
  { letter: 'x', handled: false, given: { pid: 41, want: 'exit', spawnDue: true }, effects: ['spawn ./run', 'flush service', 'write run want=exit pid=42'], then: { state: 'run' } },
  { letter: 'k', handled: false, given: { state: 'run', pid: 42 }, effects: ['kill SIGKILL'], then: { state: 'down' } },
  { letter: 'k', handled: true, given: { state: 'run', pid: 42 }, effects: [], then: { state: 'down' } },
  { letter: 'p', handled: false, given: { state: 'run', pid: 42 }, effects: ['kill SIGSTOP', 'write run want=up paused pid=42'], then: { paused: true } },
  { letter: 'p', handled: true, given: { state: 'run', pid: 42 }, effects: ['write run want=up paused pid=42'], then: { paused: true } },
  { letter: 'c', handled: false, given: { state: 'run', pid: 42, paused: true }, effects: ['kill SIGCONT', 'write run want=up pid=42'], then: { paused: false } },
  { letter: 'c', handled: true, given: { state: 'run', pid: 42, paused: true }, effects: ['write run want=up pid=42'], then: { paused: false } },
  ...([['h', 'SIGHUP'], ['a', 'SIGALRM'], ['i', 'SIGINT'], ['q', 'SIGQUIT'], ['1', 'SIGUSR1'], ['2', 'SIGUSR2']] as const).flatMap(
    ([letter, signal]): Continuation[] => [
      { letter, handled: false, given: { state: 'run', pid: 42 }, effects: [`kill ${signal}`], then: {} },
      { letter, handled: true, given: { state: 'run', pid: 42 }, effects: [], then: {} },
    ],
  ),
];

describe('service machine: what a control handler\'s exit continues, one test per letter and outcome', () => {
  it.each(continued.map((c) => [`control/${c.letter} ${c.handled ? 'exited 0' : 'failed'}`, c] as const))('%s', (_, c) => {
    const fx = new Recorder();
    const s = record({ ...c.given, awaiting: c.letter });
    handlerExited(s, fx, c.handled);
    expect(fx.log).toEqual(c.effects);
    expect(s).toMatchObject({ ...c.then, awaiting: undefined });
  });

  it('covers every letter, handled and not', () => {
    const covered = new Set(continued.map((c) => `${c.letter} ${c.handled}`));
    expect(covered).toEqual(new Set(Object.keys(continuations).flatMap((letter) => [`${letter} true`, `${letter} false`])));
  });

  it('a handler\'s exit when none is awaited does nothing', () => {
    const fx = new Recorder();
    handlerExited(record({ state: 'run', pid: 42 }), fx, false);
    expect(fx.log).toEqual([]);
  });

  it('d with control/t and control/d: t first; d after it, CONT between; then nothing is awaited', () => {
    const fx = new Recorder();
    fx.handlers.add('t').add('d');
    const s = record({ state: 'run', pid: 42 });
    dispatch(s, fx, 'down');
    handlerExited(s, fx, true);
    expect(s.awaiting).toBe('d');
    handlerExited(s, fx, false);
    expect(fx.log).toEqual(['write run want=down pid=42', 'flush all', 'control/t', 'kill SIGCONT', 'flush all', 'control/d']);
    expect(s).toMatchObject({ awaiting: undefined, gotTerm: false, state: 'run' });
  });
});

/** A service whose opt-in files gave it this restart policy (and readiness when `notificationFd`). */
function withPolicy(policy: Partial<RestartPolicy>, notificationFd?: number): ServiceRecord {
  const config = { ...PLAIN_CONFIG, notificationFd, policy: { ...DEFAULT_POLICY, ...policy } };
  return record({ extra: extra({ config, tracked: true }) });
}

/** ./run spawned at the fx clock's time, then dead after `livedMs` with `wstat`. */
function runFor(s: ServiceRecord, fx: Recorder, livedMs: number, wstat = 1 << 8, readyAfterMs?: number): void {
  dispatch(s, fx, 'start');
  if (readyAfterMs !== undefined) {
    fx.monotonic += readyAfterMs;
    dispatch(s, fx, 'ready');
    fx.monotonic += livedMs - readyAfterMs;
  } else {
    fx.monotonic += livedMs;
  }
  childExited(s, fx, wstat);
}

describe('service machine beyond runit: readiness, restart policy, needs', () => {
  it('keeps runit\'s rule without a restart-policy: a quick exit blocks for a second', () => {
    const fx = new Recorder();
    const s = record();
    runFor(s, fx, 10);
    expect(s).toMatchObject({ notBefore: fx.monotonic + HOLD_MS, extra: { startAfter: 0, lastExit: { code: 1 }, runs: 1 } });
  });

  it('backs off exponentially up to the cap, without blocking, and says so', () => {
    const fx = new Recorder();
    const s = withPolicy({ backoffInitialMs: 200, backoffMaxMs: 700 });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      runFor(s, fx, 10);
      expect(s.notBefore).toBe(0);
      expect(needsStart(s)).toBe(true);
      waits.push(s.extra.startAfter - fx.monotonic);
      fx.monotonic = s.extra.startAfter;
    }
    expect(waits).toEqual([200, 400, 700, 700, 700]);
    expect(fx.log.filter((line) => line.startsWith('warn'))).toEqual(
      ['0.2', '0.4', '0.7', '0.7', '0.7'].map((t) => `warn ./run failed; started again in ${t} s`),
    );
    expect(s.extra.runs).toBe(5);
  });

  it('restarts at once after a healthy run and starts the backoff again (s6: ready for more than 1 s)', () => {
    const fx = new Recorder();
    const s = withPolicy({ backoffInitialMs: 200 }, 3);
    runFor(s, fx, 10);
    runFor(s, fx, 5000); // never ready: unhealthy however long it ran
    expect(s.extra.startAfter - fx.monotonic).toBe(400);
    fx.monotonic = s.extra.startAfter;
    runFor(s, fx, 3000, 1 << 8, 1500); // ready for 1.5 s
    expect(s.extra).toMatchObject({ startAfter: 0, backoffMs: 0, lastRunHealthy: true });
    runFor(s, fx, 10);
    expect(s.extra.startAfter - fx.monotonic).toBe(200);
  });

  it('./finish exiting 125: down until u, with a warning (s6)', () => {
    const fx = new Recorder();
    fx.hasFinish = true;
    const s = withPolicy({});
    runFor(s, fx, 5000, 15);
    expect(s.state).toBe('finish');
    dispatch(s, fx, 'start');
    childExited(s, fx, 125 << 8);
    expect(s).toMatchObject({ state: 'down', want: 'down', extra: { failed: { reason: 'finish-exit-125', since: EPOCH_MS }, lastExit: { signal: 'SIGTERM' }, startAfter: 0 } });
    expect(fx.log.slice(-2)).toEqual(['warn ./finish exited 125: down until sv up', 'write down want=down pid=0']);
    expect(needsStart(s)).toBe(false);
    dispatch(s, fx, 'up');
    expect(s).toMatchObject({ state: 'run', want: 'up', extra: { failed: undefined } });
  });

  it('./finish exiting 125 without a restart-policy: runit restarts as ever', () => {
    const fx = new Recorder();
    fx.hasFinish = true;
    const s = record();
    runFor(s, fx, 5000);
    dispatch(s, fx, 'start');
    childExited(s, fx, 125 << 8);
    expect(s).toMatchObject({ state: 'down', want: 'up', extra: { failed: undefined } });
  });

  it('the death tally: N deaths within T seconds take it down; deaths TERM asked for do not count', () => {
    const fx = new Recorder();
    const s = withPolicy({ backoffInitialMs: 100, deathTally: { deaths: 3, withinMs: 10_000 } });
    runFor(s, fx, 10);
    fx.monotonic = s.extra.startAfter;
    dispatch(s, fx, 'start');
    dispatch(s, fx, 'term'); // sv restart's t: asked for
    childExited(s, fx, 15);
    runFor(s, fx, 10);
    expect(s.want).toBe('up');
    fx.monotonic = s.extra.startAfter;
    runFor(s, fx, 10);
    expect(s).toMatchObject({ want: 'down', extra: { failed: { reason: 'death-tally' }, startAfter: 0 } });
    expect(fx.log).toContain('warn 3 deaths within 10 s: down until sv up');
  });

  it('deaths older than the window are forgotten', () => {
    const fx = new Recorder();
    const s = withPolicy({ backoffInitialMs: 100, deathTally: { deaths: 2, withinMs: 1000 } });
    runFor(s, fx, 10);
    fx.monotonic += 5000;
    runFor(s, fx, 10);
    expect(s.want).toBe('up');
  });

  it('want exit is never turned into a failure', () => {
    const fx = new Recorder();
    fx.hasFinish = true;
    const s = withPolicy({});
    runFor(s, fx, 5000);
    s.want = 'exit';
    dispatch(s, fx, 'start');
    childExited(s, fx, 125 << 8);
    expect(s).toMatchObject({ want: 'exit', extra: { failed: undefined } });
  });

  it('a start waits for its needs, writes extra.json when the list changes, and starts once they are met', () => {
    const fx = new Recorder();
    fx.unmet = ['db', 'cache'];
    const s = record();
    dispatch(s, fx, 'start');
    expect(fx.log).toEqual(['flush service', 'extra down want=up pid=0 waiting db,cache']);
    expect(s.extra).toMatchObject({ waitingOn: ['db', 'cache'], waitingSince: MONOTONIC });
    fx.monotonic += 500;
    dispatch(s, fx, 'start');
    expect(fx.log.slice(2)).toEqual(['flush service']); // same list: no write
    fx.unmet = [];
    dispatch(s, fx, 'start');
    expect(s).toMatchObject({ state: 'run', pid: 42, extra: { waitingOn: [], waitingSince: 0, ready: false, runs: 1 } });
  });

  it('once waits for its needs too; down and exit call a waiting start off', () => {
    const fx = new Recorder();
    fx.unmet = ['db'];
    const s = record({ want: 'down' });
    dispatch(s, fx, 'once');
    expect(s).toMatchObject({ state: 'down', want: 'down', extra: { waitingOn: ['db'] } });
    expect(needsStart(s)).toBe(true);
    dispatch(s, fx, 'down');
    expect(s.extra).toMatchObject({ waitingOn: [], waitingSince: 0 });
    expect(needsStart(s)).toBe(false);
  });

  it('needs timing out under a restart-policy: the backoff, and the tally counts it', () => {
    const fx = new Recorder();
    const s = withPolicy({ backoffInitialMs: 300, deathTally: { deaths: 2, withinMs: 60_000 } });
    Object.assign(s.extra, { waitingOn: ['db'], waitingSince: 1 });
    dispatch(s, fx, 'needsTimeout');
    expect(s.extra.startAfter).toBe(MONOTONIC + 300);
    s.extra.waitingOn = ['db'];
    dispatch(s, fx, 'needsTimeout');
    expect(s).toMatchObject({ want: 'down', extra: { failed: { reason: 'death-tally' } } });
  });

  it('u forgets a failure, the tally and the backoff, and starts at once even during a backoff', () => {
    const fx = new Recorder();
    const s = withPolicy({ backoffInitialMs: 100 });
    runFor(s, fx, 10);
    runFor(s, fx, 10);
    expect(s.extra.startAfter).toBeGreaterThan(fx.monotonic);
    s.want = 'down';
    s.extra.failed = { reason: 'death-tally', since: 1 };
    dispatch(s, fx, 'up');
    expect(s).toMatchObject({ state: 'run', extra: { failed: undefined, backoffMs: 0, deaths: [], startAfter: 0 } });
  });

  it('ready only counts in state run, once; a new ./run is not ready until it says so again', () => {
    const fx = new Recorder();
    const s = record({ state: 'finish', pid: 43 });
    dispatch(s, fx, 'ready');
    expect(s.extra.ready).toBe(false);
    const t = record();
    runFor(t, fx, 3000, 0, 100);
    expect(t.extra).toMatchObject({ ready: false, readyAt: 0, lastExit: { code: 0 } });
    dispatch(t, fx, 'start');
    expect(t.extra.ready).toBe(false);
  });
});

describe('needsStart', () => {
  it('nothing runs and want up, or finish due; never while a child runs', () => {
    expect(needsStart(record({ want: 'up' }))).toBe(true);
    expect(needsStart(record({ want: 'down' }))).toBe(false);
    expect(needsStart(record({ want: 'exit' }))).toBe(false);
    expect(needsStart(record({ state: 'finish', want: 'exit' }))).toBe(true);
    expect(needsStart(record({ state: 'run', pid: 5 }))).toBe(false);
  });
});

describe('./finish arguments', () => {
  it('exit code (or -1 when killed) and the low byte of the wait status', () => {
    expect(finishArguments(3 << 8)).toEqual(['3', '0']);
    expect(finishArguments(111 << 8)).toEqual(['111', '0']);
    expect(finishArguments(15)).toEqual(['-1', '15']);
    expect(finishArguments(9)).toEqual(['-1', '9']);
    expect(finishArguments(11 | 0x80)).toEqual(['-1', '139']); // SIGSEGV with a core dump
  });
});

describe('control bytes', () => {
  it('maps runit bytes to events and ignores the rest', () => {
    const map = Object.fromEntries([...'udoxtkpchaiq12'].map((c) => [c, controlEvent(c.charCodeAt(0), false)]));
    expect(map).toEqual({
      u: 'up', d: 'down', o: 'once', x: 'exit', t: 'term', k: 'kill', p: 'pause', c: 'cont',
      h: 'hup', a: 'alarm', i: 'interrupt', q: 'quit', 1: 'usr1', 2: 'usr2',
    });
    for (let byte = 0; byte < 256; byte++) {
      if (!'udoxtkpchaiq12'.includes(String.fromCharCode(byte))) expect(controlEvent(byte, false)).toBeUndefined();
    }
  });

  it('ignores x on the log, and only x', () => {
    expect(controlEvent('x'.charCodeAt(0), true)).toBeUndefined();
    expect(controlEvent('d'.charCodeAt(0), true)).toBe('down');
    expect(controlEvent('k'.charCodeAt(0), true)).toBe('kill');
  });
});

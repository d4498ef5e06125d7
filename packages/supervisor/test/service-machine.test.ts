// The state table, cell by cell: each non-empty cell has a test here, and a test checks that.
import { describe, expect, it } from 'vitest';
import {
  childExited,
  controlEvent,
  dispatch,
  needsStart,
  startService,
  transitions,
  type Event,
  type ServiceCtx,
  type ServiceState,
  type Want,
} from '../src/service-machine.js';
import { finishArguments } from '../src/child-start.js';

/** A service record that writes down every effect instead of performing it. */
class RecordedService implements ServiceCtx {
  state: ServiceState = 'down';
  want: Want = 'up';
  paused = false;
  gotTerm = false;
  pid = 0;
  wstat = 0;
  isLog = false;
  readonly effects: string[] = [];
  /** control/<letter> handlers that exist and exit 0. */
  handled = new Set<string>();
  hasFinish = false;
  /** Whether restamp() reports that the child ran less than a second. */
  quick = false;

  constructor(fields: Partial<Pick<RecordedService, 'state' | 'want' | 'paused' | 'gotTerm' | 'pid' | 'hasFinish' | 'quick'>> = {}) {
    Object.assign(this, fields);
  }

  writeStatus(): void {
    this.effects.push(`status ${this.state} want=${this.want}${this.paused ? ' paused' : ''}${this.gotTerm ? ' term' : ''} pid=${this.pid}`);
  }
  kill(signal: NodeJS.Signals): void {
    this.effects.push(`kill ${signal}`);
  }
  async custom(letter: string): Promise<boolean> {
    this.effects.push(`control/${letter}`);
    return this.handled.has(letter);
  }
  async launch(): Promise<void> {
    this.effects.push(this.state === 'finish' ? `launch ./finish` : `launch ./run`);
    this.pid = 42;
  }
  finishReadable(): boolean {
    return this.hasFinish;
  }
  restamp(): boolean {
    this.effects.push('restamp');
    return this.quick;
  }
  async holdOneSecond(): Promise<void> {
    this.effects.push('hold 1s');
  }
}

interface Case {
  /** What the test shows, after "state × event". */
  what: string;
  state: ServiceState;
  event: Event;
  given?: ConstructorParameters<typeof RecordedService>[0];
  handled?: string[];
  /** For childExit: the wait status reaped. */
  wstat?: number;
  effects: string[];
  then: Partial<Pick<RecordedService, 'state' | 'want' | 'paused' | 'gotTerm' | 'pid' | 'wstat'>>;
}

const startRun = (want: Want) => ['control/u', 'launch ./run', 'restamp', `status run want=${want} pid=42`];

const cases: Case[] = [
  // down
  { what: 'want up, status, then control/u and ./run', state: 'down', event: 'up', given: { want: 'down' }, effects: ['status down want=up pid=0', ...startRun('up')], then: { state: 'run', want: 'up', pid: 42 } },
  { what: 'want down, status, then ./run once', state: 'down', event: 'once', effects: ['status down want=down pid=0', ...startRun('down')], then: { state: 'run', want: 'down' } },
  { what: 'want down and status only', state: 'down', event: 'down', effects: ['status down want=down pid=0'], then: { state: 'down', want: 'down' } },
  { what: 'want exit and status only', state: 'down', event: 'exit', effects: ['status down want=exit pid=0'], then: { state: 'down', want: 'exit' } },
  { what: 'paused flag set even though nothing runs', state: 'down', event: 'pause', effects: ['status down want=up paused pid=0'], then: { paused: true } },
  { what: 'paused flag cleared, no signal', state: 'down', event: 'cont', given: { paused: true }, effects: ['status down want=up pid=0'], then: { paused: false } },
  { what: 'a child left by k is reaped: ./finish is next when readable', state: 'down', event: 'childExit', given: { pid: 42, hasFinish: true }, wstat: 9, effects: ['status finish want=up pid=0'], then: { state: 'finish', pid: 0, wstat: 9 } },
  // run
  { what: 'want up, status, nothing started', state: 'run', event: 'up', given: { pid: 42, want: 'down' }, effects: ['status run want=up pid=42'], then: { state: 'run', want: 'up' } },
  { what: 'want down, status, not restarted', state: 'run', event: 'once', given: { pid: 42 }, effects: ['status run want=down pid=42'], then: { want: 'down' } },
  { what: 'stop sequence: control/t, TERM, got TERM, CONT, control/d', state: 'run', event: 'down', given: { pid: 42 }, effects: ['status run want=down pid=42', 'control/t', 'kill SIGTERM', 'status run want=down term pid=42', 'kill SIGCONT', 'control/d'], then: { want: 'down', gotTerm: true, state: 'run' } },
  { what: 'stop sequence ending with control/x', state: 'run', event: 'exit', given: { pid: 42 }, effects: ['status run want=exit pid=42', 'control/t', 'kill SIGTERM', 'status run want=exit term pid=42', 'kill SIGCONT', 'control/x'], then: { want: 'exit', gotTerm: true } },
  { what: 'TERM with want up: no CONT, no control/d', state: 'run', event: 'term', given: { pid: 42 }, effects: ['control/t', 'kill SIGTERM', 'status run want=up term pid=42'], then: { gotTerm: true, want: 'up' } },
  { what: 'KILL, then down at once without a status write', state: 'run', event: 'kill', given: { pid: 42 }, effects: ['control/k', 'kill SIGKILL'], then: { state: 'down', pid: 42 } },
  { what: 'STOP and the paused flag', state: 'run', event: 'pause', given: { pid: 42 }, effects: ['control/p', 'kill SIGSTOP', 'status run want=up paused pid=42'], then: { paused: true } },
  { what: 'CONT and the paused flag cleared', state: 'run', event: 'cont', given: { pid: 42, paused: true }, effects: ['control/c', 'kill SIGCONT', 'status run want=up pid=42'], then: { paused: false } },
  { what: 'HUP', state: 'run', event: 'hup', given: { pid: 42 }, effects: ['control/h', 'kill SIGHUP'], then: {} },
  { what: 'ALRM', state: 'run', event: 'alarm', given: { pid: 42 }, effects: ['control/a', 'kill SIGALRM'], then: {} },
  { what: 'INT', state: 'run', event: 'interrupt', given: { pid: 42 }, effects: ['control/i', 'kill SIGINT'], then: {} },
  { what: 'QUIT', state: 'run', event: 'quit', given: { pid: 42 }, effects: ['control/q', 'kill SIGQUIT'], then: {} },
  { what: 'USR1', state: 'run', event: 'usr1', given: { pid: 42 }, effects: ['control/1', 'kill SIGUSR1'], then: {} },
  { what: 'USR2', state: 'run', event: 'usr2', given: { pid: 42 }, effects: ['control/2', 'kill SIGUSR2'], then: {} },
  { what: './run ended without ./finish after less than 1 s: down, stamp, 1-second hold', state: 'run', event: 'childExit', given: { pid: 42, gotTerm: true, quick: true }, wstat: 15, effects: ['restamp', 'status down want=up pid=0', 'hold 1s'], then: { state: 'down', pid: 0, gotTerm: false, wstat: 15 } },
  // finish
  { what: 'want up and status; finish goes on', state: 'finish', event: 'up', given: { pid: 43, want: 'down' }, effects: ['status finish want=up pid=43'], then: { state: 'finish', want: 'up' } },
  { what: 'want down and status; nothing started', state: 'finish', event: 'once', given: { pid: 43 }, effects: ['status finish want=down pid=43'], then: { state: 'finish', want: 'down' } },
  { what: 'want down and status; finish is not stopped', state: 'finish', event: 'down', given: { pid: 43 }, effects: ['status finish want=down pid=43'], then: { state: 'finish', want: 'down' } },
  { what: 'want exit and status; finish is not stopped', state: 'finish', event: 'exit', given: { pid: 43 }, effects: ['status finish want=exit pid=43'], then: { state: 'finish', want: 'exit' } },
  { what: 'finish is not killed, the state says down (quirk)', state: 'finish', event: 'kill', given: { pid: 43 }, effects: [], then: { state: 'down', pid: 43 } },
  { what: 'paused flag only', state: 'finish', event: 'pause', given: { pid: 43 }, effects: ['status finish want=up paused pid=43'], then: { paused: true } },
  { what: 'paused flag cleared only', state: 'finish', event: 'cont', given: { pid: 43, paused: true }, effects: ['status finish want=up pid=43'], then: { paused: false } },
  { what: './finish ended: down, stamp (no hold when the run lasted 1 s)', state: 'finish', event: 'childExit', given: { pid: 43, hasFinish: true }, wstat: 0, effects: ['restamp', 'status down want=up pid=0'], then: { state: 'down', pid: 0 } },
];

async function play(c: Case): Promise<RecordedService> {
  const s = new RecordedService({ state: c.state, ...c.given });
  for (const letter of c.handled ?? []) s.handled.add(letter);
  if (c.event === 'childExit') await childExited(s, c.wstat ?? 0);
  else await dispatch(s, c.event);
  return s;
}

describe('service machine: one test per non-empty cell', () => {
  it.each(cases.map((c) => [`${c.state} × ${c.event}: ${c.what}`, c] as const))('%s', async (_, c) => {
    const s = await play(c);
    expect(s.effects).toEqual(c.effects);
    expect(s).toMatchObject(c.then);
  });

  it('covers every non-empty cell of the table, and no empty one', () => {
    const cells = Object.entries(transitions).flatMap(([state, row]) => Object.keys(row).map((event) => `${state} × ${event}`));
    expect(new Set(cases.map((c) => `${c.state} × ${c.event}`))).toEqual(new Set(cells));
  });

  it.each(['down', 'finish'] as const)('ignores t and the signal bytes while %s', async (state) => {
    for (const event of ['term', 'hup', 'alarm', 'interrupt', 'quit', 'usr1', 'usr2'] as const) {
      const s = new RecordedService({ state, pid: state === 'finish' ? 43 : 0 });
      await dispatch(s, event);
      expect(s.effects).toEqual([]);
    }
  });

  it('k while down does nothing at all', async () => {
    const s = new RecordedService();
    await dispatch(s, 'kill');
    expect(s.effects).toEqual([]);
    expect(s.state).toBe('down');
  });
});

describe('service machine: custom handlers and leftovers', () => {
  it('a successful control/t suppresses TERM but want down still sends CONT and runs control/d', async () => {
    const s = new RecordedService({ state: 'run', pid: 42 });
    s.handled.add('t');
    await dispatch(s, 'down');
    expect(s.effects).toEqual(['status run want=down pid=42', 'control/t', 'kill SIGCONT', 'control/d']);
    expect(s.gotTerm).toBe(false);
  });

  it('a successful control/<c> suppresses the signal of p, c, k and h', async () => {
    for (const [event, letter] of [['pause', 'p'], ['cont', 'c'], ['kill', 'k'], ['hup', 'h']] as const) {
      const s = new RecordedService({ state: 'run', pid: 42 });
      s.handled.add(letter);
      await dispatch(s, event);
      expect(s.effects.filter((e) => e.startsWith('kill'))).toEqual([]);
    }
  });

  it('u after k, before the reap, stops the leftover child and starts a new ./run (runit)', async () => {
    const s = new RecordedService({ state: 'run', pid: 42 });
    await dispatch(s, 'kill');
    s.effects.length = 0;
    s.pid = 41; // still the killed child: not reaped yet
    await dispatch(s, 'up');
    expect(s.effects).toEqual(['status down want=up pid=41', 'control/u', 'control/t', 'kill SIGTERM', 'status down want=up term pid=41', 'launch ./run', 'restamp', 'status run want=up pid=42']);
  });

  it('./run ended with ./finish readable: finish is next, the stamp stays', async () => {
    const s = new RecordedService({ state: 'run', pid: 42, hasFinish: true });
    await childExited(s, 3 << 8);
    expect(s.effects).toEqual(['status finish want=up pid=0']);
    expect(s.wstat).toBe(3 << 8);
    s.want = 'down';
    expect(needsStart(s)).toBe(true); // ./finish runs whatever the want
  });

  it('starting in state finish launches ./finish without control/u and keeps the stamp', async () => {
    const s = new RecordedService({ state: 'finish', want: 'down' });
    await startService(s);
    expect(s.effects).toEqual(['launch ./finish', 'status finish want=down pid=42']);
  });

  it('needsStart: nothing runs and want up, or finish due; never while a child runs', () => {
    expect(needsStart(new RecordedService({ want: 'up' }))).toBe(true);
    expect(needsStart(new RecordedService({ want: 'down' }))).toBe(false);
    expect(needsStart(new RecordedService({ want: 'exit' }))).toBe(false);
    expect(needsStart(new RecordedService({ state: 'finish', want: 'exit' }))).toBe(true);
    expect(needsStart(new RecordedService({ state: 'run', pid: 5 }))).toBe(false);
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

// runsv's per-service state machine as a table: state × event → a small named action
// (docs/runit-behaviour.md §3.3–3.5).
// want, paused and gotTerm are flags beside the state, as the 20-byte status encodes them.
import { controlCommand, type ControlCommand, type ServiceState, type Want } from '@runit-ts/protocol';

export type { ServiceState, Want };

/** The events control bytes stand for are protocol's control commands (`u` → 'up', …). */
export type ControlEvent = ControlCommand;
export type SignalEvent = Exclude<ControlEvent, 'up' | 'down' | 'once' | 'exit' | 'term' | 'kill' | 'pause' | 'cont'>;
export type Event = ControlEvent | 'childExit';

/** What the actions may see and do; the supervisor implements it for the service and its log. */
export interface ServiceCtx {
  state: ServiceState;
  want: Want;
  paused: boolean;
  gotTerm: boolean;
  /** The running child (./run or ./finish), 0 when none. */
  pid: number;
  /** Raw wait status of the last child reaped. */
  wstat: number;
  readonly isLog: boolean;
  /** Writes supervise/pid (when changed), stat and status. */
  writeStatus(): void;
  /** kill(pid, signal); does nothing while pid is 0. */
  kill(signal: NodeJS.Signals): void;
  /** Runs control/<letter> and waits; true when it exited 0. Always false for the log. */
  custom(letter: string): Promise<boolean>;
  /** Starts ./finish when state is finish, else ./run (or log/run); sets pid (0 if exec failed). */
  launch(): Promise<void>;
  /** True when ./finish can be opened for reading (never for the log). */
  finishReadable(): boolean;
  /** Sets the state-change stamp to now; true when less than 1 s passed since the previous one. */
  restamp(): boolean;
  /** runsv's sleep(1) after a child that ran less than a second; only this service waits. */
  holdOneSecond(): Promise<void>;
}

type Action = (s: ServiceCtx) => void | Promise<void>;

const SIGNALS: Record<SignalEvent | 'pause' | 'cont' | 'kill', { letter: string; signal: NodeJS.Signals }> = {
  hup: { letter: 'h', signal: 'SIGHUP' },
  alarm: { letter: 'a', signal: 'SIGALRM' },
  interrupt: { letter: 'i', signal: 'SIGINT' },
  quit: { letter: 'q', signal: 'SIGQUIT' },
  usr1: { letter: '1', signal: 'SIGUSR1' },
  usr2: { letter: '2', signal: 'SIGUSR2' },
  pause: { letter: 'p', signal: 'SIGSTOP' },
  cont: { letter: 'c', signal: 'SIGCONT' },
  kill: { letter: 'k', signal: 'SIGKILL' },
};

/** The signal a byte stands for, unless control/<letter> exists, is u+x and exits 0. */
async function signalUnlessCustom(s: ServiceCtx, event: keyof typeof SIGNALS): Promise<void> {
  const { letter, signal } = SIGNALS[event];
  if (!(await s.custom(letter))) s.kill(signal);
}

/**
 * The stop sequence of d, x and t: TERM unless control/t handles it; then, when want is down or
 * exit, CONT (even after control/t) and control/d or control/x, whose result is ignored.
 */
export async function stopService(s: ServiceCtx): Promise<void> {
  if (s.pid !== 0 && !(await s.custom('t'))) {
    s.kill('SIGTERM');
    s.gotTerm = true;
    s.writeStatus();
  }
  if (s.want === 'down') {
    s.kill('SIGCONT');
    await s.custom('d');
  } else if (s.want === 'exit') {
    s.kill('SIGCONT');
    await s.custom('x');
  }
}

/** Starts ./run (control/u first, on every start) or, in state finish, ./finish. */
export async function startService(s: ServiceCtx): Promise<void> {
  const finishing = s.state === 'finish';
  if (!finishing) await s.custom('u');
  if (s.pid !== 0) await stopService(s); // runit's "should never happen": a child left by `k`
  await s.launch();
  if (!finishing) {
    s.restamp();
    s.state = 'run';
  }
  s.paused = false;
  s.gotTerm = false;
  s.writeStatus();
}

/** Whether the loop starts this service now: nothing runs and it wants up, or ./finish is due. */
export const needsStart = (s: ServiceCtx): boolean => s.pid === 0 && (s.want === 'up' || s.state === 'finish');

const setWant =
  (want: Want): Action =>
  (s) => {
    s.want = want;
    s.writeStatus();
  };

const setWantThenStart =
  (want: Want): Action =>
  async (s) => {
    setWant(want)(s);
    await startService(s);
  };

const setWantThenStop =
  (want: Want): Action =>
  async (s) => {
    setWant(want)(s);
    await stopService(s);
  };

const sendSignal =
  (event: SignalEvent): Action =>
  (s) =>
    signalUnlessCustom(s, event);

const setPaused = (s: ServiceCtx): void => {
  s.paused = true;
  s.writeStatus();
};

const clearPaused = (s: ServiceCtx): void => {
  s.paused = false;
  s.writeStatus();
};

const stopAndPause: Action = async (s) => {
  await signalUnlessCustom(s, 'pause');
  setPaused(s);
};

const continueAndUnpause: Action = async (s) => {
  await signalUnlessCustom(s, 'cont');
  clearPaused(s);
};

/** `k`: KILL unless control/k handles it, then down at once; status is not written (runit). */
const killThenDown: Action = async (s) => {
  await signalUnlessCustom(s, 'kill');
  s.state = 'down';
};

/** `k` during ./finish: finish keeps running but the state says down (its exit reruns finish). */
const markDown: Action = (s) => {
  s.state = 'down';
};

/** Reached down: stamp now, status, and runsv's 1-second pause when the child ran less than 1 s. */
async function reachDown(s: ServiceCtx): Promise<void> {
  s.state = 'down';
  const quick = s.restamp();
  s.writeStatus();
  if (quick) await s.holdOneSecond();
}

/** ./run (or a child left by `k`) ended: ./finish next if it is readable, else down. */
const runEnded: Action = async (s) => {
  if (s.finishReadable()) {
    s.state = 'finish';
    s.writeStatus();
    return;
  }
  await reachDown(s);
};

const finishEnded: Action = (s) => reachDown(s);

/** A missing cell is a deliberate no-op (e.g. `t` while down, a signal byte while finish runs). */
const on: Record<ServiceState, Partial<Record<Event, Action>>> = {
  down: {
    up: setWantThenStart('up'),
    once: setWantThenStart('down'),
    down: setWant('down'),
    exit: setWant('exit'),
    pause: setPaused,
    cont: clearPaused,
    childExit: runEnded,
  },
  run: {
    up: setWant('up'),
    once: setWant('down'),
    down: setWantThenStop('down'),
    exit: setWantThenStop('exit'),
    term: stopService,
    kill: killThenDown,
    pause: stopAndPause,
    cont: continueAndUnpause,
    hup: sendSignal('hup'),
    alarm: sendSignal('alarm'),
    interrupt: sendSignal('interrupt'),
    quit: sendSignal('quit'),
    usr1: sendSignal('usr1'),
    usr2: sendSignal('usr2'),
    childExit: runEnded,
  },
  finish: {
    up: setWant('up'),
    once: setWant('down'),
    down: setWant('down'),
    exit: setWant('exit'),
    kill: markDown,
    pause: setPaused,
    cont: clearPaused,
    childExit: finishEnded,
  },
};

/** The table itself, for tests and documentation. */
export const transitions: Readonly<Record<ServiceState, Readonly<Partial<Record<Event, Action>>>>> = on;

export async function dispatch(s: ServiceCtx, event: Event): Promise<void> {
  const act = on[s.state][event];
  if (act) await act(s);
}

/** Bookkeeping runsv does for every reaped child of a service, before the table decides. */
export async function childExited(s: ServiceCtx, wstat: number): Promise<void> {
  s.pid = 0;
  s.wstat = wstat;
  s.gotTerm = false;
  await dispatch(s, 'childExit');
}

/** The event a control byte stands for; unknown bytes, and `x` on the log's FIFO, are ignored. */
export function controlEvent(byte: number, isLog: boolean): ControlEvent | undefined {
  const event = controlCommand(byte);
  return isLog && event === 'exit' ? undefined : event;
}

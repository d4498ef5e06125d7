// Control bytes written to supervise/control, and what each asks runsv to do (docs/runit-behaviour.md §3.4).

export type ControlCommand =
  | 'up' | 'down' | 'once' | 'exit' | 'term' | 'kill' | 'pause' | 'cont'
  | 'hup' | 'alarm' | 'interrupt' | 'quit' | 'usr1' | 'usr2';

export const CONTROL_BYTES: Readonly<Record<string, ControlCommand>> = {
  u: 'up',
  d: 'down',
  o: 'once',
  x: 'exit',
  t: 'term',
  k: 'kill',
  p: 'pause',
  c: 'cont',
  h: 'hup',
  a: 'alarm',
  i: 'interrupt',
  q: 'quit',
  '1': 'usr1',
  '2': 'usr2',
};

/** The command a byte stands for, or undefined for a byte runsv ignores. */
export function controlCommand(byte: number): ControlCommand | undefined {
  return CONTROL_BYTES[String.fromCharCode(byte)];
}

/** Signals sent by the plain signal bytes (when no custom control/<c> handles them). */
export const CONTROL_SIGNALS: Readonly<Partial<Record<ControlCommand, NodeJS.Signals>>> = {
  term: 'SIGTERM',
  kill: 'SIGKILL',
  pause: 'SIGSTOP',
  cont: 'SIGCONT',
  hup: 'SIGHUP',
  alarm: 'SIGALRM',
  interrupt: 'SIGINT',
  quit: 'SIGQUIT',
  usr1: 'SIGUSR1',
  usr2: 'SIGUSR2',
};

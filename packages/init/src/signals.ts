// The signals PID 1 listens to. The kernel drops a signal to PID 1 that has no handler, so each one
// runit acts on (CONT, INT; CHLD is the reaper's) gets a listener here, and so do two that Node itself
// would otherwise handle badly: TERM (Node's handler resets the console's fd flags) and USR1 (Node's
// handler starts the inspector on port 9229). The listeners only count and wake the loop.

export class SignalRequests {
  /** SIGCONT requests not yet looked at (runit's sigc). */
  cont = 0;
  /** SIGINT (Ctrl-Alt-Del) requests not yet looked at (runit's sigi). */
  int = 0;

  constructor(
    private readonly wake: () => void,
    private readonly report: () => void,
  ) {}

  install(): void {
    process.on('SIGCONT', () => {
      this.cont++;
      this.wake();
    });
    process.on('SIGINT', () => {
      this.int++;
      this.wake();
    });
    // runit keeps TERM blocked for ever: it has no effect on PID 1.
    process.on('SIGTERM', () => {});
    process.on('SIGUSR1', () => this.report());
  }

  get any(): boolean {
    return this.cont > 0 || this.int > 0;
  }

  clear(): void {
    this.cont = 0;
    this.int = 0;
  }
}

// The signals PID 1 listens to. The kernel drops a signal to PID 1 that has no handler, so each one
// runit acts on (CONT, INT; CHLD is the reaper's) gets a listener here, and so do two that Node itself
// would otherwise handle badly: TERM (Node's handler resets the console's fd flags) and USR1 (Node's
// handler starts the inspector on port 9229). In container mode TERM is a request too.
//
// runit keeps CONT and INT blocked except while it waits for the stage: one that arrives meanwhile
// (during ctrlaltdel, the stop of stage 2, the restart pause) stays pending, once per signal, and
// counts at the next wait. This class keeps the same books, for TERM as well.

type Request = 'cont' | 'int' | 'term';

export class SignalRequests {
  /** SIGCONT requests not yet looked at (runit's sigc). */
  cont = 0;
  /** SIGINT (Ctrl-Alt-Del) requests not yet looked at (runit's sigi). */
  int = 0;
  /** SIGTERM requests not yet looked at (container mode only). */
  term = 0;
  private blocked = true;
  private readonly pending = new Set<Request>();

  constructor(
    private readonly wake: () => void,
    private readonly report: () => void,
  ) {}

  /** termStops: container mode, where SIGTERM asks for the stop. */
  install(termStops = false): void {
    process.on('SIGCONT', () => this.arrive('cont'));
    process.on('SIGINT', () => this.arrive('int'));
    // runit keeps TERM blocked for ever: it has no effect on PID 1.
    process.on('SIGTERM', termStops ? () => this.arrive('term') : () => {});
    process.on('SIGUSR1', () => this.report());
  }

  /** Lets requests count (runit's wait for the stage); pending ones count now. Returns whether there were any. */
  unblock(): boolean {
    this.blocked = false;
    const hadPending = this.pending.size > 0;
    for (const request of this.pending) this.count(request);
    this.pending.clear();
    return hadPending;
  }

  block(): void {
    this.blocked = true;
  }

  /** Whether a CONT or INT request is waiting (TERM is looked at apart). */
  get any(): boolean {
    return this.cont > 0 || this.int > 0;
  }

  clear(): void {
    this.cont = 0;
    this.int = 0;
  }

  private arrive(request: Request): void {
    if (this.blocked) this.pending.add(request);
    else this.count(request);
  }

  private count(request: Request): void {
    this[request]++;
    this.wake();
  }
}

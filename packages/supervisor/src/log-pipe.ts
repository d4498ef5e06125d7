// The log pipe: made once (O_CLOEXEC), or taken over from a supervisor that died, both ends held for
// the supervisor's life, mapped into each run/finish/handler (write end as stdout) and log/run (read
// end as stdin).
import { closeSync } from 'node:fs';
import { pipe, setNonBlocking } from '@runit-ts/native';

export type Stdio = [stdin: number, stdout: number, stderr: number];

export class LogPipe {
  private ends: [read: number, write: number] | undefined;

  /** A new pipe, or the ends of one taken over (see adoption.ts). */
  constructor(ends: [read: number, write: number] = pipe()) {
    this.ends = ends;
  }

  /** Both ends while open: [read, write]. */
  get fds(): readonly [read: number, write: number] | undefined {
    return this.ends;
  }

  /** False once the exit sequence has closed it. */
  get open(): boolean {
    return this.ends !== undefined;
  }

  /**
   * The stdio of a child: the log reads the pipe, everyone else writes into it. O_NONBLOCK is
   * cleared first: a reader or writer SIGKILLed while it had set it leaves it set for the next one.
   */
  stdio(forLog: boolean, [stdin, stdout, stderr]: Stdio): Stdio {
    const ends = this.ends;
    if (!ends) return [stdin, stdout, stderr];
    setNonBlocking(ends[0], false);
    setNonBlocking(ends[1], false);
    return forLog ? [ends[0], stdout, stderr] : [stdin, ends[1], stderr];
  }

  /** Closes the write end, then the read end; reports each failure as runsv does. */
  close(onError: (end: 0 | 1, error: unknown) => void = () => undefined): void {
    const ends = this.ends;
    this.ends = undefined;
    if (!ends) return;
    for (const end of [1, 0] as const) {
      try {
        closeSync(ends[end]);
      } catch (error) {
        onError(end, error);
      }
    }
  }
}

// The books of a container-mode stop: what started it, the grace's deadline, and the exit code PID 1
// ends with.
import type { ExitStatus } from '@runit-ts/native';
import { CONTAINER_MAIN_CODE_UNKNOWN, EXIT_OK, SIGNAL_EXIT_BASE } from './exit.js';

export type StopCause =
  /** SIGTERM, or runit-init 0|6 (SIGCONT with stopit armed). */
  | { kind: 'request' }
  /** Stage 1 skipping stage 2, or stage 2 ending by itself: its code. */
  | { kind: 'stage'; code: number }
  /** The main service's ./run ended. */
  | { kind: 'main'; dir: string };

/** A process's end as one code: its exit code, or 128 + n when signal n ended it. */
export const exitCodeOf = (exit: ExitStatus): number => (exit.signal !== null ? SIGNAL_EXIT_BASE + exit.signal : (exit.code ?? 0));

export class ContainerStop {
  private cause: StopCause | undefined;
  private deadline = Infinity;

  constructor(
    readonly graceMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts the stop and its grace; a later cause changes nothing (the first one ends the container). */
  begin(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.deadline = this.now() + this.graceMs;
  }

  get stopping(): boolean {
    return this.cause !== undefined;
  }

  get causedByMain(): boolean {
    return this.cause?.kind === 'main';
  }

  /** Milliseconds until the grace is over: Infinity before the stop, 0 once it is over. */
  remainingMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** A code recorded in the exit-code file wins; else the cause's code (0 for a requested stop). */
  exitCode(recorded: number | undefined): number {
    if (recorded !== undefined) return recorded;
    if (this.cause?.kind === 'stage') return this.cause.code;
    if (this.cause?.kind === 'main') return CONTAINER_MAIN_CODE_UNKNOWN;
    return EXIT_OK;
  }
}

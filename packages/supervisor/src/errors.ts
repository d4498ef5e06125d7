// The error a ServiceSupervisor's start() rejects with: runit's fatal line, its errno code, exit 111.
import { EXIT_FATAL } from './exit.js';
import { diagnosticLine } from './diagnostics.js';
import { PROGRAM, withError } from './messages.js';

/** A start-up step that failed, before the supervisor's name is attached. */
export class StartFailure extends Error {
  constructor(
    readonly text: string,
    override readonly cause?: unknown,
  ) {
    super(cause === undefined ? text : withError(text, cause));
  }
}

/** Runs a start-up step; its error becomes a StartFailure with runit's text for that step. */
export function attempt<T>(text: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new StartFailure(text, error);
  }
}

export class SupervisorError extends Error {
  /** The errno code of the failed call (e.g. 'EAGAIN' for a held lock), when there was one. */
  readonly code: string | undefined;
  /** What runsv exits with for this error. */
  readonly exitCode = EXIT_FATAL;
  /** The full line runsv prints: `runsv <service>: fatal: <message>`. */
  readonly line: string;

  constructor(
    /** The service as named in messages. */
    readonly service: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'SupervisorError', enumerable: false, configurable: true });
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
    this.line = diagnosticLine({ level: 'fatal', program: PROGRAM, subject: service, text: message });
  }
}

// What a log dir's parts (its current file, its processor) need from the dir that owns them.
import type { Report } from './diagnostics.js';

export interface LogDirContext {
  /** Absolute path of the log dir, and its name as given (for messages). */
  readonly path: string;
  readonly dir: string;
  readonly verbose: boolean;
  readonly report: Report;
  readonly pauseMs: number;
  /** Runs file-system work with the rights of the dir's owner (see LoggerOptions.owner). */
  asOwner<T>(work: () => T): T;
}

// @runit-ts/sv: runit's sv as a command (runSv) and as a small typed library for Node programs.
import { runitErrorText } from '@runit-ts/protocol';
import * as text from './messages.js';
import { DEFAULT_SVDIR } from './options.js';
import { locateForCommand } from './service-path.js';
import { readStatusReport } from './status-reader.js';
import type { ServiceStatus } from './status-record.js';
import { writeControl } from './supervise-io.js';

export { runSv, WAIT_ROUND_MS } from './sv.js';
export { DEFAULT_SVDIR, DEFAULT_WAIT_SECONDS } from './options.js';
export { statusLine } from './status-record.js';
export {
  readExtraStatus,
  readinessAndRestarts,
  readServiceReadiness,
  type ReadinessAndRestarts,
  type ServiceReadiness,
} from './readiness-reader.js';
export type { ProcessStatus, ServiceState, ServiceStatus, StatusFailure } from './status-record.js';

/** A service whose status or control FIFO could not be used; `reason` is runit's text. */
export class ServiceError extends Error {
  constructor(
    readonly service: string,
    readonly reason: string,
  ) {
    super(`${service}: ${reason}`);
    this.name = 'ServiceError';
  }
}

export interface ServiceOptions {
  /** Where bare names live; defaults to $SVDIR, then /etc/service. */
  svdir?: string;
}

function locate(service: string, options: ServiceOptions): string {
  const located = locateForCommand(service, options.svdir ?? process.env.SVDIR ?? DEFAULT_SVDIR);
  if (!located.ok) {
    throw new ServiceError(service, `${text.REASON.changeToService}: ${runitErrorText(located.code)}`);
  }
  return located.dir;
}

/**
 * The status `sv status --json` prints for one service: a name as sv takes it (absolute, `./…`, or
 * bare under svdir). Throws ServiceError when runsv is not running or the status cannot be read;
 * a log/ that cannot be read shows as `log: { name: 'log', error }`.
 */
export function readServiceStatus(service: string, options: ServiceOptions = {}): ServiceStatus {
  const report = readStatusReport(service, locate(service, options), Date.now());
  if ('error' in report.entry) throw new ServiceError(service, report.entry.error);
  return report.entry;
}

/**
 * Writes control bytes (`u`, `d`, `tcu`, …, docs/runit-behaviour.md §3.4) to the service's
 * supervise/control in one write, without sv's skip rule or waiting. Throws ServiceError when runsv
 * is not running.
 */
export function sendControl(service: string, bytes: string, options: ServiceOptions = {}): void {
  const result = writeControl(locate(service, options), bytes);
  if (result.kind === 'not-running') throw new ServiceError(service, text.REASON.notRunning);
  if (result.kind === 'error') {
    const error = result.code === undefined ? '' : `: ${runitErrorText(result.code)}`;
    throw new ServiceError(service, `${result.reason}${error}`);
  }
}

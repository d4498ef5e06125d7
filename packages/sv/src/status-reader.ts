// A service's status with its log's as one typed record: `sv status --json` and the library's reader.
import { runitErrorText, type DecodedStatus } from '@runit-ts/protocol';
import * as text from './messages.js';
import { readExtraStatus, readinessAndRestarts } from './readiness-reader.js';
import { enter } from './service-path.js';
import { processStatus, type ProcessStatus, type ServiceStatus, type StatusFailure } from './status-record.js';
import { isNormallyUp, readSuperviseStatus } from './supervise-io.js';

export interface StatusReport {
  /** The record, or why there is none. */
  entry: ServiceStatus | StatusFailure;
  /** How many fail/warning lines runit's sv would have printed for this service (its exit code share). */
  failures: number;
  /** Lines runit's sv writes to stderr meanwhile (an unstat-able `down`). */
  stderr: string[];
  /** As for the text status: 1 a pid runs, 2 none, 0 `down` unreadable, or why nothing was read. */
  outcome: 0 | 1 | 2 | 'unreadable' | 'not-running';
}

const reasonText = (reason: string, code?: string): string =>
  code === undefined ? reason : `${reason}: ${runitErrorText(code)}`;

type Read =
  | { ok: true; status: ProcessStatus; decoded: DecodedStatus }
  | { ok: false; failure: StatusFailure; counted: boolean; outcome: StatusReport['outcome'] };

/** One supervise/ dir: `name` is what the record shows, `typed` the service name runit warns with. */
function readOne(name: string, typed: string, dir: string, nowMs: number, stderr: string[]): Read {
  const read = readSuperviseStatus(dir);
  if (read.kind === 'not-running') {
    return { ok: false, failure: { name, error: text.REASON.notRunning }, counted: true, outcome: 'not-running' };
  }
  if (read.kind === 'error') {
    return { ok: false, failure: { name, error: reasonText(read.reason, read.code) }, counted: true, outcome: 'unreadable' };
  }
  const down = isNormallyUp(dir);
  if ('code' in down) {
    const line = text.cannotStat(typed, 'down', runitErrorText(down.code));
    stderr.push(line);
    return { ok: false, failure: { name, error: line.slice(text.WARNING.length, -1) }, counted: false, outcome: 0 };
  }
  return { ok: true, status: processStatus(name, read.status, nowMs, down.normallyUp), decoded: read.status };
}

/** Reads the service at `dir` (already located) and its log/, as `sv status` does. */
export function readStatusReport(name: string, dir: string, nowMs: number): StatusReport {
  const stderr: string[] = [];
  const read = readOne(name, name, dir, nowMs, stderr);
  if (!read.ok) return { entry: read.failure, failures: read.counted ? 1 : 0, stderr, outcome: read.outcome };
  const main = { status: { ...read.status, ...readinessAndRestarts(read.decoded, readExtraStatus(dir)) } };
  const outcome = main.status.pid === null ? 2 : 1;
  const logDir = `${dir}/log`;
  const located = enter(logDir);
  if (!located.ok) {
    if (located.code === 'ENOENT') return { entry: { ...main.status, log: null }, failures: 0, stderr, outcome };
    const log = { name: text.LOG_NAME, error: reasonText(text.REASON.changeToLog, located.code) };
    return { entry: { ...main.status, log }, failures: 1, stderr, outcome };
  }
  const log = readOne(text.LOG_NAME, name, logDir, nowMs, stderr);
  if (log.ok) return { entry: { ...main.status, log: log.status }, failures: 0, stderr, outcome };
  return { entry: { ...main.status, log: log.failure }, failures: log.counted ? 1 : 0, stderr, outcome };
}

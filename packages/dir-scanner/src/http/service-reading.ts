// What the HTTP endpoint knows of one service, and the one place that reads it from the service
// directory: today supervise/status (through the `ok` probe, as sv reads it) and the `down` file.
// A reader that also knows readiness and restarts replaces readService's body; nothing else changes.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { decodeStatus, STATUS_SIZE, type StatusState, type StatusWant } from '@runit-ts/protocol';

export interface ServiceReading {
  /** Byte 19 of supervise/status: down, run, finish ('unknown' for any other byte). */
  state: StatusState;
  /** ./run's pid (./finish's while it runs), null when nothing runs. */
  pid: number | null;
  /** When the state last changed (supervise/status's stamp), Unix seconds. */
  since: number;
  /** Byte 17: what `sv up`/`sv down` asked for. */
  want: StatusWant;
  /** No `down` file in the service directory. */
  normallyUp: boolean;
  paused: boolean;
  /** Whether the service said it is ready; undefined for a service without readiness. */
  ready?: boolean;
  /** Since when it is ready, Unix seconds. */
  readySince?: number;
  /** Restarts counted by the supervisor; undefined when it does not count them (then the endpoint counts). */
  restarts?: number;
}

export type ReadOutcome =
  | { kind: 'read'; reading: ServiceReading }
  /** No supervisor holds supervise/ (sv's "runsv not running"), or there is no supervise/ yet. */
  | { kind: 'unsupervised' }
  | { kind: 'unreadable'; reason: string };

// The files are read as root on behalf of whoever can reach the endpoint: never through a link, and
// never a FIFO or device planted in their place (docs/security.md).
const PROBE = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
const READ = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

const codeOf = (error: unknown): string => String((error as NodeJS.ErrnoException).code ?? error);

function supervised(dir: string): boolean | string {
  let fd: number;
  try {
    fd = openSync(`${dir}/supervise/ok`, PROBE);
  } catch (error) {
    const code = codeOf(error);
    return code === 'ENXIO' || code === 'ENOENT' || code === 'ENOTDIR' ? false : `supervise/ok: ${code}`;
  }
  try {
    return fstatSync(fd).isFIFO() || 'supervise/ok is not a fifo';
  } finally {
    closeSync(fd);
  }
}

function readStatusBytes(dir: string): Uint8Array | string {
  let fd: number;
  try {
    fd = openSync(`${dir}/supervise/status`, READ);
  } catch (error) {
    return `supervise/status: ${codeOf(error)}`;
  }
  try {
    if (!fstatSync(fd).isFile()) return 'supervise/status is not a file';
    const bytes = new Uint8Array(STATUS_SIZE);
    const got = readSync(fd, bytes, 0, STATUS_SIZE, 0);
    return got === STATUS_SIZE ? bytes : 'supervise/status: bad format';
  } catch (error) {
    return `supervise/status: ${codeOf(error)}`;
  } finally {
    closeSync(fd);
  }
}

/** Reads the service at `dir` (a service directory, or its log/). Never throws. */
export function readService(dir: string): ReadOutcome {
  const probe = supervised(dir);
  if (probe === false) return { kind: 'unsupervised' };
  if (typeof probe === 'string') return { kind: 'unreadable', reason: probe };
  const bytes = readStatusBytes(dir);
  if (typeof bytes === 'string') return { kind: 'unreadable', reason: bytes };
  let normallyUp: boolean;
  try {
    normallyUp = statSync(`${dir}/down`, { throwIfNoEntry: false }) === undefined;
  } catch (error) {
    return { kind: 'unreadable', reason: `down: ${codeOf(error)}` };
  }
  const status = decodeStatus(bytes);
  return {
    kind: 'read',
    reading: {
      state: status.state,
      pid: status.pid === 0 ? null : status.pid,
      since: status.stamp.seconds + status.stamp.nanoseconds / 1e9,
      want: status.want,
      normallyUp,
      paused: status.paused,
    },
  };
}

// The one reader of runit-ts's supervise/extra.json (docs/readiness-and-restarts.md): readiness,
// restarts, the last exit, a permanent failure and the needs waited on, merged with runit's 20-byte
// status. sv status, sv's waits and a supervisor's needs use it; so can an HTTP endpoint or metrics.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { forKernel } from '@runit-ts/native';
import {
  decodeExtraStatus,
  EXTRA_STATUS_FILE,
  isReady,
  isUp,
  type DecodedStatus,
  type ExtraStatus,
  type FailureReason,
  type LastExit,
  type ReadinessSource,
} from '@runit-ts/protocol';
import { readSuperviseStatus, type Trouble } from './supervise-io.js';

/** What `sv status --json` adds to runit's fields; times are Unix seconds with milliseconds. */
export interface ReadinessAndRestarts {
  /** Up (a pid, state run) and, where ./run reports readiness, said so since it started. */
  ready: boolean;
  /** Since when: the readiness notification, or (without readiness) ./run's start; null when not ready. */
  readySince: number | null;
  /** How ./run reports readiness (`notification-fd`, `notify-socket`); [] when it does not. */
  readiness: ReadinessSource[];
  /** ./run started again since the supervisor started; null when no runit-ts supervisor keeps count. */
  restarts: number | null;
  /** How ./run last ended ({"code": N} or {"signal": "SIGTERM"}); null when not known. */
  lastExit: LastExit | null;
  /** Down for good until `sv up`: ./finish exited 125, or the death tally was reached. */
  failed: { reason: FailureReason; since: number } | null;
  /** The services in ./needs that ./run waits for before it starts. */
  needs: string[];
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

// Read as root on behalf of whoever asks (an HTTP endpoint): never through a link, never a FIFO or
// device planted in its place, and no more than a record can hold.
const READ = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
const EXTRA_STATUS_MAX_BYTES = 64 * 1024;

/** Whether pid exists (signal 0; EPERM means it does). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * supervise/extra.json of the service at `dir`, when a runit-ts supervisor wrote it and still runs;
 * undefined when there is none (runit's runsv never writes it), it cannot be read, or it is stale.
 */
export function readExtraStatus(dir: string): ExtraStatus | undefined {
  let text: string;
  let fd: number;
  try {
    fd = openSync(forKernel(`${dir}/supervise/${EXTRA_STATUS_FILE}`), READ);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const bytes = Buffer.alloc(EXTRA_STATUS_MAX_BYTES);
    text = bytes.toString('utf8', 0, readSync(fd, bytes, 0, bytes.length, 0));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  const extra = decodeExtraStatus(text);
  return extra !== undefined && processExists(extra.supervisor) ? extra : undefined;
}

/** The fields, from a status already read and the extra status (readExtraStatus). */
export function readinessAndRestarts(status: DecodedStatus, extra: ExtraStatus | undefined): ReadinessAndRestarts {
  const ready = isReady(status, extra);
  const current = extra !== undefined && extra.pid === status.pid;
  const tracked = current && extra.readiness.length > 0;
  const startedAt = status.stamp.seconds + Math.floor(status.stamp.nanoseconds / 1e6) / 1000;
  return {
    ready,
    readySince: !ready ? null : tracked && extra.readySince !== null ? seconds(extra.readySince) : startedAt,
    readiness: current ? extra.readiness : [],
    restarts: extra?.restarts ?? null,
    lastExit: extra?.lastExit ?? null,
    failed: extra?.failed ? { reason: extra.failed.reason, since: seconds(extra.failed.since) } : null,
    needs: extra?.needs ?? [],
  };
}

/** A service as a waiting client sees it: its status, its extra status, and whether it is up and ready. */
export type ServiceReadiness =
  | { kind: 'status'; status: DecodedStatus; extra: ExtraStatus | undefined; up: boolean; ready: boolean }
  | { kind: 'not-running' }
  | Trouble;

/** Reads supervise/ok, status and extra.json of the service at `dir` (as sv reads them). */
export function readServiceReadiness(dir: string): ServiceReadiness {
  const read = readSuperviseStatus(dir);
  if (read.kind !== 'status') return read;
  const extra = readExtraStatus(dir);
  return { kind: 'status', status: read.status, extra, up: isUp(read.status), ready: isReady(read.status, extra) };
}

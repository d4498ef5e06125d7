// supervise/extra.json: what runit-ts's supervisor knows beyond runit's 20-byte status (readiness,
// restarts, the last exit, a permanent failure, the needs waited on), written only for a service
// that opted in to any of it. runit's tools never read it. One JSON object and a newline.

/** How ./run tells it is ready: s6's notification-fd, or the sd_notify bridge (notify-socket). */
export type ReadinessSource = 'notification-fd' | 'notify-socket';

/** How ./run last ended: its exit code, or the signal that killed it (`SIGTERM`, …). */
export type LastExit = { code: number } | { signal: string };

/** Why a service was taken down for good (until `sv up`). */
export type FailureReason = 'finish-exit-125' | 'death-tally';

export interface Failure {
  reason: FailureReason;
  /** Unix time in ms. */
  since: number;
}

export interface ExtraStatus {
  /** The process supervising the service (runsv, or runsvdir's service host): the file is stale once it is gone. */
  supervisor: number;
  /** The pid supervise/status shows along with this file (./run, ./finish, or 0). */
  pid: number;
  /** How this ./run reports readiness ([] when it does not: then it counts as ready once up). */
  readiness: ReadinessSource[];
  /** This ./run has said it is ready (always false when it has no readiness). */
  ready: boolean;
  /** When it did, Unix time in ms; null while not ready. */
  readySince: number | null;
  /** ./run started again since the supervisor started. */
  restarts: number;
  lastExit: LastExit | null;
  failed: Failure | null;
  /** The services in ./needs not yet up and ready, while ./run waits for them; [] otherwise. */
  needs: string[];
}

export const EXTRA_STATUS_FILE = 'extra.json';

export function encodeExtraStatus(extra: ExtraStatus): string {
  const { supervisor, pid, readiness, ready, readySince, restarts, lastExit, failed, needs } = extra;
  return `${JSON.stringify({ supervisor, pid, readiness, ready, readySince, restarts, lastExit, failed, needs })}\n`;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const SOURCES: readonly string[] = ['notification-fd', 'notify-socket'] satisfies ReadinessSource[];
const REASONS: readonly string[] = ['finish-exit-125', 'death-tally'] satisfies FailureReason[];

function lastExitOf(value: unknown): LastExit | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (isCount(v.code)) return { code: v.code };
  if (typeof v.signal === 'string') return { signal: v.signal };
  return undefined;
}

function failureOf(value: unknown): Failure | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.reason === 'string' && REASONS.includes(v.reason) && isCount(v.since) ? { reason: v.reason as FailureReason, since: v.since } : undefined;
}

/** The file's content, or undefined when it is not such a record (cut short, another program's). */
export function decodeExtraStatus(text: string): ExtraStatus | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const v = raw as Record<string, unknown>;
  const lastExit = lastExitOf(v.lastExit);
  const failed = failureOf(v.failed);
  if (!isCount(v.supervisor) || !isCount(v.pid) || typeof v.ready !== 'boolean' || !isCount(v.restarts)) return undefined;
  if (!isStringArray(v.readiness) || !v.readiness.every((s) => SOURCES.includes(s)) || !isStringArray(v.needs)) return undefined;
  if ((v.readySince !== null && !isCount(v.readySince)) || lastExit === undefined || failed === undefined) return undefined;
  return {
    supervisor: v.supervisor,
    pid: v.pid,
    readiness: v.readiness as ReadinessSource[],
    ready: v.ready,
    readySince: v.readySince as number | null,
    restarts: v.restarts,
    lastExit,
    failed,
    needs: v.needs,
  };
}

/** Whether the 20-byte status says ./run is running: a pid, state run. */
export const isUp = (status: { pid: number; state: string }): boolean => status.pid !== 0 && status.state === 'run';

/**
 * Whether a service is up and ready, from its status and its extra status (undefined when there is
 * none, or it is stale: its supervisor has gone). Readiness counts only while the extra status
 * describes the pid the status shows; otherwise (no such file, runit's runsv, a file written for
 * another child) the service is ready as soon as it is up.
 */
export function isReady(status: { pid: number; state: string }, extra: ExtraStatus | undefined): boolean {
  if (!isUp(status)) return false;
  if (extra === undefined || extra.pid !== status.pid || extra.readiness.length === 0) return true;
  return extra.ready;
}

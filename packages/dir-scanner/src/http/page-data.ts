// A service as the status page gets it (JSON over server-sent events): its record, made plain, with
// the last lines of its logs.
import { readLogTails, type LogTail } from './log-tail.js';
import { isReady, isUp } from './probes.js';
import type { ServiceRecord } from './service-states.js';

export interface PageService {
  name: string;
  /** null when nothing could be read (see problem). */
  state: string | null;
  pid: number | null;
  /** Unix seconds of the last state change. */
  since: number | null;
  want: string | null;
  normallyUp: boolean | null;
  paused: boolean;
  up: boolean;
  /** true or false for a service with readiness, null for one without. */
  ready: boolean | null;
  /** What counts as ready for /readyz: up, not paused, ready where it has readiness. */
  counted: boolean;
  restarts: number;
  /** No supervisor, or why the status could not be read. */
  problem: string | null;
  logs: LogTail[];
}

export function pageService(record: ServiceRecord): PageService {
  const { outcome } = record;
  const common = { name: record.name, up: isUp(outcome), counted: isReady(outcome), restarts: record.restarts, logs: readLogTails(record.dir) };
  if (outcome.kind !== 'read') {
    const problem = outcome.kind === 'unsupervised' ? 'no supervisor' : outcome.reason;
    return { ...common, state: null, pid: null, since: null, want: null, normallyUp: null, paused: false, ready: null, problem };
  }
  const { reading } = outcome;
  return {
    ...common,
    state: reading.state,
    pid: reading.pid,
    since: reading.since,
    want: reading.want,
    normallyUp: reading.normallyUp,
    paused: reading.paused,
    ready: reading.ready ?? null,
    problem: null,
  };
}

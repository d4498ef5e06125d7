// The answers of /healthz and /readyz, from runsvdir's view and the services' records.
import type { ReadOutcome } from './service-reading.js';
import type { ServiceRecord } from './service-states.js';
import type { SupervisionTree } from './tree.js';

export interface ProbeAnswer {
  status: 200 | 503;
  body: object;
}

/** Why a service wanted up does not count as ready; undefined when it does (or is not wanted up). */
export function notReadyReason(outcome: ReadOutcome): string | undefined {
  if (outcome.kind === 'unsupervised') return 'no supervisor';
  if (outcome.kind === 'unreadable') return outcome.reason;
  const { reading } = outcome;
  if (reading.want !== 'up') return undefined;
  if (reading.state !== 'run' || reading.pid === null) return reading.state === 'finish' ? 'finishing' : 'down';
  if (reading.paused) return 'paused';
  if (reading.ready === false) return 'not ready yet';
  return undefined;
}

/** ./run is running (whatever was asked for). */
export const isUp = (outcome: ReadOutcome): boolean =>
  outcome.kind === 'read' && outcome.reading.state === 'run' && outcome.reading.pid !== null;

/** Up, not paused, and ready where the service has readiness. */
export const isReady = (outcome: ReadOutcome): boolean =>
  outcome.kind === 'read' && isUp(outcome) && !outcome.reading.paused && outcome.reading.ready !== false;

/** 200 while runsvdir runs its loop and looks at the services directory. */
export function liveness(tree: SupervisionTree): ProbeAnswer {
  const services = tree.services().length;
  return tree.scanning() ? { status: 200, body: { alive: true, services } } : { status: 503, body: { alive: false, services } };
}

/** 200 when every service wanted up is up (and ready, where it has readiness); else 503 naming the others. */
export function readiness(tree: SupervisionTree, records: readonly ServiceRecord[]): ProbeAnswer {
  if (tree.scans() === 0) return { status: 503, body: { ready: false, why: 'the services directory has not been read yet', notReady: [] } };
  const notReady = [];
  for (const { name, outcome } of records) {
    const why = notReadyReason(outcome);
    if (why === undefined) continue;
    const state = outcome.kind === 'read' ? { state: outcome.reading.state, want: outcome.reading.want } : {};
    notReady.push({ service: name, ...state, why });
  }
  if (notReady.length > 0) return { status: 503, body: { ready: false, services: records.length, notReady } };
  return { status: 200, body: { ready: true, services: records.length } };
}

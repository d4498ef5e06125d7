// /metrics: Prometheus' text format through prom-client. node_exporter's runit collector names and
// values (so that dashboards made for it work), then runit-ts's own.
import { readFileSync } from 'node:fs';
import { Counter, Gauge, Registry } from 'prom-client';
import { isReady, isUp } from './probes.js';
import type { ReadOutcome, ServiceReading } from './service-reading.js';
import type { ServiceRecord } from './service-states.js';
import type { SupervisionTree } from './tree.js';

/** node_exporter's runit collector gives every series this label too. */
const SUPERVISOR = 'runit';
const STATE_VALUE = { down: 0, run: 1, finish: 2 } as const;

type Read = { name: string; reading: ServiceReading };
const readOnes = (records: readonly ServiceRecord[]): Read[] =>
  records.flatMap(({ name, outcome }: { name: string; outcome: ReadOutcome }) => (outcome.kind === 'read' ? [{ name, reading: outcome.reading }] : []));

/** Rss and private bytes (Private_Clean + Private_Dirty) of a process, from smaps_rollup. */
function memoryOf(pid: number): { rss: number; private: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  const memory = { rss: kb('Rss'), private: kb('Private_Clean') + kb('Private_Dirty') };
  return Number.isNaN(memory.rss + memory.private) ? undefined : memory;
}

export interface Metrics {
  contentType: string;
  /** The text for one scrape, from the records as they are now. */
  text(records: readonly ServiceRecord[]): Promise<string>;
}

export function createMetrics(tree: SupervisionTree): Metrics {
  const registry = new Registry();
  let current: readonly ServiceRecord[] = [];
  const runitGauge = (name: string, help: string, value: (reading: ServiceReading) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['service', 'supervisor'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { name: service, reading } of readOnes(current)) {
          const number = value(reading);
          if (number !== undefined) this.set({ service, supervisor: SUPERVISOR }, number);
        }
      },
    });
  };
  // A state byte runsv never writes has no series (sv prints no state word for it either).
  runitGauge('node_service_state', 'State of the runit service: 0 down, 1 run, 2 finish.', (r) =>
    r.state === 'unknown' ? undefined : STATE_VALUE[r.state],
  );
  runitGauge('node_service_desired_state', 'Desired state of the runit service: 1 up, 0 down.', (r) => (r.want === 'up' ? 1 : 0));
  runitGauge('node_service_normal_state', 'Normal state of the runit service: 1 up, 0 down (a down file).', (r) => (r.normallyUp ? 1 : 0));
  runitGauge('node_service_state_last_change_timestamp_seconds', 'Unix time of the runit service\'s last state change.', (r) =>
    Math.floor(r.since),
  );

  const serviceGauge = (name: string, help: string, value: (record: ServiceRecord) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['service'],
      registers: [registry],
      collect() {
        this.reset();
        for (const record of current) this.set({ service: record.name }, value(record));
      },
    });
  };
  serviceGauge('runit_ts_service_up', 'Whether the service\'s ./run is running (1) or not (0).', (r) => (isUp(r.outcome) ? 1 : 0));
  serviceGauge('runit_ts_service_ready', 'Whether the service is running, not paused, and ready where it has readiness.', (r) =>
    isReady(r.outcome) ? 1 : 0,
  );
  new Counter({
    name: 'runit_ts_service_restarts_total',
    help: 'Starts of ./run with a new pid seen by this endpoint since runsvdir started (or the supervisor\'s own count).',
    labelNames: ['service'],
    registers: [registry],
    collect() {
      this.reset();
      for (const record of current) this.inc({ service: record.name }, record.restarts);
    },
  });

  const memoryGauge = (name: string, help: string, field: 'rss' | 'private'): void => {
    new Gauge({
      name,
      help,
      labelNames: ['process'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { name: process, pid } of tree.processes()) {
          const memory = memoryOf(pid);
          if (memory) this.set({ process }, memory[field]);
        }
      },
    });
  };
  memoryGauge('runit_ts_process_resident_memory_bytes', 'Resident memory of runsvdir and of its service host, bytes.', 'rss');
  memoryGauge('runit_ts_process_private_memory_bytes', 'Private memory (clean and dirty) of runsvdir and of its service host, bytes.', 'private');

  return {
    contentType: registry.contentType,
    text: async (records) => {
      current = records;
      return registry.metrics();
    },
  };
}

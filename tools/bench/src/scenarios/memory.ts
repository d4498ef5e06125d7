// Memory of the whole supervision tree at 1, 10, 50, 200 and 1,000 services, without and with loggers:
// ours (one runsvdir and its service host; loggers as svlogd processes or hosted in the host) vs runit's
// runsvdir + runsv (+ svlogd), as a floor and a cost per added service.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@runit-ts/test-support';
import { PingFifo } from '../ping-fifo.js';
import type { MemoryReading } from '../proc-memory.js';
import { supervisedPid } from '../processes.js';
import { startRunsvdir, stopRunsvdir, type Flavour } from '../runsvdirs.js';
import { rounds, type BenchContext, type Goal, type Metric, type Scenario } from '../scenario.js';
import { logCurrent, startedLine, writeService, type LogKind } from '../service-dirs.js';
import { linearFit, median, ratio } from '../stats.js';
import { readSettledTreeMemory, readTreeMemory, type SettleRule, type TreeMemory } from '../supervision-memory.js';

interface Variant {
  id: string;
  flavour: Flavour;
  log: LogKind;
  /** How the details table names it. */
  text: string;
  /** The largest tree measured. */
  largest: number;
}

/** runit's runsvdir supervises at most 1,000 services (docs/runit-behaviour.md §2): the largest tree both can run. */
const RUNSVDIR_LIMIT = 1000;
/** The sizes the floor and the cost per added service are fitted over (the figures of earlier reports). */
const FITTED = 200;

function variants(context: BenchContext): Variant[] {
  return [
    { id: 'runit', flavour: 'runit', log: { kind: 'none' }, text: 'runit: runsvdir + runsv per service', largest: RUNSVDIR_LIMIT },
    { id: 'ours', flavour: 'ours', log: { kind: 'none' }, text: 'runit-ts: runsvdir + service host', largest: RUNSVDIR_LIMIT },
    { id: 'runit+svlogd', flavour: 'runit', log: { kind: 'svlogd', svlogd: context.runit('svlogd') }, text: 'runit: … + an svlogd per service', largest: RUNSVDIR_LIMIT },
    {
      id: 'ours+svlogd',
      flavour: 'ours',
      log: { kind: 'svlogd', svlogd: context.ours('svlogd') },
      // runit's standard layout: log/run execs our svlogd, which hands its dirs to the service host
      text: 'runit-ts: … + a log/run that execs our svlogd per service (handed to the service host, the default)',
      largest: RUNSVDIR_LIMIT,
    },
    { id: 'ours+hosted', flavour: 'ours', log: { kind: 'hosted' }, text: 'runit-ts: … + hosted logs (svlogd inside the service host)', largest: 200 },
  ];
}

interface Point {
  variant: string;
  services: number;
  round: number;
  memory: TreeMemory;
  /** Whether the readings stopped moving before the rule's limit, and when (ms after everything was up). */
  settled: boolean;
  afterMs: number;
}

/**
 * Steady state, not start-up: a Node daemon's memory drops some seconds after a burst of work, when
 * V8's memory reducer gives back the pages the burst grew into (measured: 8-10 s). Quick mode only
 * glances.
 */
const STEADY: SettleRule = { minMs: 12_000, windowMs: 4000, tolerance: 0.01, maxMs: 40_000 };
const GLANCE: SettleRule = { minMs: 1000, windowMs: 500, tolerance: 0.05, maxMs: 3000 };

const logReady = (serviceDir: string, log: LogKind, name: string): boolean => {
  const current = logCurrent(serviceDir, log);
  return current === undefined || (existsSync(current) && readFileSync(current, 'utf8').includes(startedLine(name)));
};

/** Starts a tree of `count` services, waits until every service and logger works, lets it settle, reads it. */
async function measureTree(context: BenchContext, ping: PingFifo, variant: Variant, count: number, round: number): Promise<Point> {
  const svdir = join(context.tempDir(`bench-mem-${variant.id}-`), 'services');
  const names = Array.from({ length: count }, (_, i) => `${variant.id}-${count}-${round}-${i}`);
  const serviceDirs = names.map((name) => writeService(svdir, { name, ping: ping.path, log: variant.log }));
  const since = performance.now();
  const daemon = startRunsvdir(context, variant.flavour, svdir);
  try {
    await ping.all(names, since, 300_000);
    await waitFor(() => serviceDirs.every((dir, i) => logReady(dir, variant.log, names[i]!)), `${variant.id}: ${count} loggers`, 300_000);
    // read the services' pids at every reading: a supervisor writes supervise/pid after the fork,
    // and a service can ping before its supervisor has written it (runit's runsv is no different)
    const servicePids = () => new Set(serviceDirs.map((dir) => supervisedPid(dir) ?? 0));
    const reading = await readSettledTreeMemory(() => readTreeMemory(daemon.pid, servicePids()), context.quick ? GLANCE : STEADY);
    if (!reading.settled) context.log(`memory: ${variant.id} at ${count} still moving after ${Math.round(reading.afterMs / 1000)} s; read anyway`);
    return { variant: variant.id, services: count, round, ...reading };
  } finally {
    await stopRunsvdir(daemon);
    ping.forget();
  }
}

type Field = 'pss' | 'private';
type Layer = 'total' | 'supervisors';

/** One fit per round over the sizes: the samples of the floor and of the cost per added service. */
function fits(points: readonly Point[], variant: string, layer: Layer, field: Field): { floor: number[]; perService: number[] } {
  const mine = points.filter((p) => p.variant === variant && p.services <= FITTED);
  const roundsSeen = [...new Set(mine.map((p) => p.round))];
  const each = roundsSeen.map((round) => linearFit(mine.filter((p) => p.round === round).map((p) => [p.services, p.memory[layer][field]] as const)));
  return { floor: each.map((f) => f.floor), perService: each.map((f) => f.perUnit) };
}

/**
 * The cost of each service added from 1 to `size` services, one sample per round: the slope between
 * the two trees, which shows whether a service costs more in a large tree than the fit says.
 */
function addedFrom1(points: readonly Point[], variant: string, layer: Layer, field: Field, size: number): number[] {
  const at = (services: number, round: number) => points.find((p) => p.variant === variant && p.services === services && p.round === round);
  return [...new Set(points.map((p) => p.round))].flatMap((round) => {
    const small = at(1, round);
    const large = at(size, round);
    return small && large ? [(large.memory[layer][field] - small.memory[layer][field]) / (size - 1)] : [];
  });
}

const KiB = 1024;
const MiB = 1024 * 1024;
const QUARTER: Goal = { kind: 'ratio', max: 0.25, against: 'runit', text: 'a quarter of runit\'s' };

interface Comparison {
  what: string;
  ours: string;
  runit: string;
  layer: Layer;
  /** runit's floor is shown unless it is nothing by construction (a sum of runsv processes). */
  runitFloor: boolean;
  /** Also a metric of the cost per service added from 1 to this many services (beyond the fitted sizes). */
  largest?: number;
  note?: string;
}

/** Floor and cost per added service, PSS and private, ours vs runit; the per-service cost has the quarter goal. */
function comparison(points: readonly Point[], c: Comparison): Metric[] {
  const runs = points.filter((p) => p.variant === c.ours).length;
  return (['pss', 'private'] as const).flatMap((field) => {
    const a = fits(points, c.ours, c.layer, field);
    const b = fits(points, c.runit, c.layer, field);
    const name = field === 'pss' ? 'PSS' : 'private';
    const id = `mem-${c.ours}-${c.layer}-${field}`;
    return [
      {
        id: `${id}-floor`,
        label: `${c.what}: ${name} floor`,
        unit: 'MiB',
        ours: a.floor.map((v) => v / MiB),
        runit: c.runitFloor ? b.floor.map((v) => v / MiB) : undefined,
        runs,
      },
      {
        id: `${id}-per-service`,
        label: `${c.what}: ${name} per added service`,
        unit: 'KiB',
        ours: a.perService.map((v) => v / KiB),
        runit: b.perService.map((v) => v / KiB),
        runs,
        goal: QUARTER,
        note: field === 'pss' ? c.note : undefined,
      },
      ...(c.largest === undefined
        ? []
        : [
            {
              id: `${id}-per-service-1-to-${c.largest}`,
              label: `${c.what}: ${name} per added service, 1 to ${c.largest.toLocaleString('en')} services`,
              unit: 'KiB',
              ours: addedFrom1(points, c.ours, c.layer, field, c.largest).map((v) => v / KiB),
              runit: addedFrom1(points, c.runit, c.layer, field, c.largest).map((v) => v / KiB),
              runs,
              goal: QUARTER,
            } satisfies Metric,
          ]),
    ] satisfies Metric[];
  });
}

/** Per added service from 1 to each size, ours vs runit and their ratio (medians over the rounds), for every comparison. */
function perSizeTable(points: readonly Point[], comparisons: readonly Comparison[]): string {
  const kib = (samples: number[]) => (samples.length === 0 ? '–' : (median(samples) / KiB).toFixed(1));
  const rows = comparisons.flatMap((c) => {
    const sizes = [...new Set(points.filter((p) => p.variant === c.ours && p.services > 1).map((p) => p.services))].sort((a, b) => a - b);
    return sizes.map((size) => {
      const cells = (['pss', 'private'] as const).map((field) => {
        const ours = addedFrom1(points, c.ours, c.layer, field, size);
        const runit = addedFrom1(points, c.runit, c.layer, field, size);
        const r = ratio(ours, runit);
        return `${kib(ours)} | ${kib(runit)} | ${r === undefined ? '–' : r.toFixed(2)}`;
      });
      return `| ${c.what} | ${size} | ${cells.join(' | ')} |`;
    });
  });
  return [
    'Cost per added service from 1 to each size (KiB; (total at n − total at 1) / (n − 1), median over the rounds), ours vs runit and the ratio; the goal is a quarter of runit\'s.',
    '',
    '| comparison | services | PSS ours | PSS runit | ratio | private ours | private runit | ratio |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function detailsTable(points: readonly Point[], all: readonly Variant[]): string {
  const mib = (r: MemoryReading) => `${(r.pss / MiB).toFixed(2)} / ${(r.private / MiB).toFixed(2)}`;
  const rows = points.map((p) => {
    const text = all.find((v) => v.id === p.variant)?.text ?? p.variant;
    const read = `${Math.round(p.afterMs / 1000)} s${p.settled ? '' : ' (still moving)'}`;
    return `| ${text} | ${p.services} | ${p.round + 1} | ${p.memory.processes} | ${read} | ${mib(p.memory.total)} | ${mib(p.memory.supervisors)} | ${mib(p.memory.loggers)} |`;
  });
  return [
    'Every tree measured (MiB, PSS / private; supervisors = runsvdir\'s children: the runsv processes, or our service host; ' +
      'loggers = what runs under them besides the services). The floor and the cost per service are a least-squares fit ' +
      'of total against the number of services, one fit per round. "read" is when the readings settled, counted from ' +
      'the moment every service and logger was up.',
    '',
    '| tree | services | round | processes | read | total | supervisors | loggers |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export const memory: Scenario = {
  name: 'memory',
  description:
    'PSS and private memory (smaps_rollup: Pss, Private_Clean + Private_Dirty) of every supervision process (runsvdir and ' +
    'everything below it but the services), at 1, 10, 50, 200 and 1,000 idle services (hosted logs: up to 200; the floor and cost per service are fitted over 1-200, and the cost from 1 to 1,000 is given as well), read at steady state: from 12 s after every service and logger is up, once 4 s of readings agree within 1 %',
  async run(context) {
    // the steady-state cost of a hosted service is a few KiB, within the heap's noise at 50; 200 resolves
    // it; 1,000 (runit's limit) shows whether a service costs more in a large tree
    const sizes = context.quick ? [1, 5] : [1, 10, 50, FITTED, RUNSVDIR_LIMIT];
    const all = variants(context);
    const ping = new PingFifo(join(context.tempDir('bench-mem-fifo-'), 'ping'));
    context.cleanup.add(() => ping.close());
    const points: Point[] = [];
    const n = rounds(context, 1, 2);
    // Each round measures every size close together in time, so that each round's fit sees one state
    // of the machine; sizes and trees alternate their order between turns.
    let turn = 0;
    for (let round = 0; round < n; round++) {
      for (const size of round % 2 === 0 ? sizes : [...sizes].reverse()) {
        const trees = all.filter((variant) => size <= variant.largest);
        context.log(`memory: round ${round + 1} of ${n}, ${size} service(s), ${trees.length} trees`);
        for (const variant of turn++ % 2 === 0 ? trees : [...trees].reverse()) points.push(await measureTree(context, ping, variant, size, round));
      }
    }
    const loggersNote =
      'runit\'s standard layout (a log/run that execs svlogd): our svlogd hands its log dirs to the service host and exits, so no logger is a process of its own (with RUNIT_TS_HOSTED_SVLOGD=off each svlogd of ours stays a Node runtime, about 8 MiB private); the hosted-log opt-in (the next rows) needs no log/ at all.';
    const largest = sizes.at(-1)! > FITTED ? sizes.at(-1) : undefined;
    const comparisons: Comparison[] = [
      { what: 'tree, no loggers', ours: 'ours', runit: 'runit', layer: 'total', runitFloor: true, largest },
      {
        what: 'tree + svlogd per service',
        ours: 'ours+svlogd',
        runit: 'runit+svlogd',
        layer: 'total',
        runitFloor: true,
        largest,
        note: loggersNote,
      },
      { what: 'tree + hosted logs vs + svlogd', ours: 'ours+hosted', runit: 'runit+svlogd', layer: 'total', runitFloor: true },
      {
        what: 'one host vs runsv processes',
        ours: 'ours',
        runit: 'runit',
        layer: 'supervisors',
        runitFloor: false,
        note: 'our service host alone (one Node process supervising every service, no loggers) vs the sum of runit\'s runsv processes.',
      },
    ];
    return {
      metrics: comparisons.flatMap((c) => comparison(points, c)),
      details: `${perSizeTable(points, comparisons)}\n\n${detailsTable(points, all)}`,
    };
  },
};

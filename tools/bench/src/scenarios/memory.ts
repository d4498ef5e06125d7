// Memory of the whole supervision tree at 1, 10 and 50 services, without and with loggers: ours (one
// runsvdir and its service host; loggers as svlogd processes or hosted in the host) vs runit's
// runsvdir + runsv (+ svlogd), as a floor and a cost per added service.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitFor } from '@runit-ts/test-support';
import { PingFifo } from '../ping-fifo.js';
import type { MemoryReading } from '../proc-memory.js';
import { supervisedPid } from '../processes.js';
import { startRunsvdir, stopRunsvdir, type Flavour } from '../runsvdirs.js';
import { interleaveAll, rounds, type BenchContext, type Goal, type Metric, type Scenario } from '../scenario.js';
import { logCurrent, startedLine, writeService, type LogKind } from '../service-dirs.js';
import { linearFit } from '../stats.js';
import { medianTreeMemory, readTreeMemory, type TreeMemory } from '../supervision-memory.js';

interface Variant {
  id: string;
  flavour: Flavour;
  log: LogKind;
  /** How the details table names it. */
  text: string;
}

function variants(context: BenchContext): Variant[] {
  return [
    { id: 'runit', flavour: 'runit', log: { kind: 'none' }, text: 'runit: runsvdir + runsv per service' },
    { id: 'ours', flavour: 'ours', log: { kind: 'none' }, text: 'runit-ts: runsvdir + service host' },
    { id: 'runit+svlogd', flavour: 'runit', log: { kind: 'svlogd', svlogd: context.runit('svlogd') }, text: 'runit: … + an svlogd per service' },
    { id: 'ours+svlogd', flavour: 'ours', log: { kind: 'svlogd', svlogd: context.ours('svlogd') }, text: 'runit-ts: … + our svlogd (a Node process) per service' },
    { id: 'ours+hosted', flavour: 'ours', log: { kind: 'hosted' }, text: 'runit-ts: … + hosted logs (svlogd inside the service host)' },
  ];
}

interface Point {
  variant: string;
  services: number;
  round: number;
  memory: TreeMemory;
}

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
    await sleep(context.quick ? 1000 : 3000);
    const servicePids = new Set(serviceDirs.map((dir) => supervisedPid(dir) ?? 0));
    const readings: TreeMemory[] = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) await sleep(500);
      readings.push(readTreeMemory(daemon.pid, servicePids));
    }
    return { variant: variant.id, services: count, round, memory: medianTreeMemory(readings) };
  } finally {
    await stopRunsvdir(daemon);
    ping.forget();
  }
}

type Field = 'pss' | 'private';
type Layer = 'total' | 'supervisors';

/** One fit per round over the sizes: the samples of the floor and of the cost per added service. */
function fits(points: readonly Point[], variant: string, layer: Layer, field: Field): { floor: number[]; perService: number[] } {
  const mine = points.filter((p) => p.variant === variant);
  const roundsSeen = [...new Set(mine.map((p) => p.round))];
  const each = roundsSeen.map((round) => linearFit(mine.filter((p) => p.round === round).map((p) => [p.services, p.memory[layer][field]] as const)));
  return { floor: each.map((f) => f.floor), perService: each.map((f) => f.perUnit) };
}

const KiB = 1024;
const MiB = 1024 * 1024;
const QUARTER: Goal = { kind: 'ratio', max: 0.25, against: 'runit', text: 'a quarter of runit\'s' };

function comparison(points: readonly Point[], what: string, ours: string, runit: string, layer: Layer, goal: boolean, note?: string): Metric[] {
  const runs = points.filter((p) => p.variant === ours).length;
  return (['pss', 'private'] as const).flatMap((field) => {
    const a = fits(points, ours, layer, field);
    const b = fits(points, runit, layer, field);
    const name = field === 'pss' ? 'PSS' : 'private';
    return [
      { id: `mem-${ours}-${layer}-${field}-floor`, label: `${what}: ${name} floor`, unit: 'MiB', ours: a.floor.map((v) => v / MiB), runit: b.floor.map((v) => v / MiB), runs },
      {
        id: `mem-${ours}-${layer}-${field}-per-service`,
        label: `${what}: ${name} per added service`,
        unit: 'KiB',
        ours: a.perService.map((v) => v / KiB),
        runit: b.perService.map((v) => v / KiB),
        runs,
        goal: goal ? QUARTER : undefined,
        note: field === 'pss' ? note : undefined,
      },
    ] satisfies Metric[];
  });
}

function detailsTable(points: readonly Point[], all: readonly Variant[]): string {
  const mib = (r: MemoryReading) => `${(r.pss / MiB).toFixed(2)} / ${(r.private / MiB).toFixed(2)}`;
  const rows = points.map((p) => {
    const text = all.find((v) => v.id === p.variant)?.text ?? p.variant;
    return `| ${text} | ${p.services} | ${p.round + 1} | ${p.memory.processes} | ${mib(p.memory.total)} | ${mib(p.memory.supervisors)} | ${mib(p.memory.loggers)} |`;
  });
  return [
    'Every tree measured (MiB, PSS / private; supervisors = runsvdir\'s children: the runsv processes, or our service host; ' +
      'loggers = what runs under them besides the services). The floor and the cost per service are a least-squares fit ' +
      'of total against the number of services, one fit per round.',
    '',
    '| tree | services | round | processes | total | supervisors | loggers |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export const memory: Scenario = {
  name: 'memory',
  description:
    'PSS and private memory (smaps_rollup: Pss, Private_Clean + Private_Dirty) of every supervision process (runsvdir and ' +
    'everything below it but the services), at 1, 10 and 50 idle services, read after every service and logger is up and 3 s of settling',
  async run(context) {
    const sizes = context.quick ? [1, 10] : [1, 10, 50];
    const all = variants(context);
    const ping = new PingFifo(join(context.tempDir('bench-mem-fifo-'), 'ping'));
    context.cleanup.add(() => ping.close());
    const points: Point[] = [];
    const n = rounds(context, 1, 2);
    for (const size of sizes) {
      context.log(`memory: ${size} service(s), ${all.length} trees, ${n} round(s)`);
      let round = 0;
      await interleaveAll(
        n,
        all.map((variant, i) => async () => {
          points.push(await measureTree(context, ping, variant, size, Math.floor(round++ / all.length)));
          return i;
        }),
      );
    }
    const loggersNote =
      'a logger that is a Node process of its own costs a Node runtime per service: the hosted-log opt-in (the service host writes the log dirs) is the design that meets the goal.';
    return {
      metrics: [
        ...comparison(points, 'tree, no loggers', 'ours', 'runit', 'total', true),
        ...comparison(points, 'tree + svlogd per service', 'ours+svlogd', 'runit+svlogd', 'total', true, loggersNote),
        ...comparison(points, 'tree + hosted logs vs + svlogd', 'ours+hosted', 'runit+svlogd', 'total', true),
        ...comparison(
          points,
          'one host vs runsv processes',
          'ours',
          'runit',
          'supervisors',
          true,
          'our service host alone (one Node process supervising every service) vs the sum of runit\'s runsv processes.',
        ),
      ],
      details: detailsTable(points, all),
    };
  },
};

// What Node's flags change for our daemons: memory and start-up of one `runsv` (one service) and one
// idle `svlogd`, each run as `node FLAGS <bundle>` under several flag sets, beside runit's runsv/svlogd.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitFor } from '@runit-ts/test-support';
import { PingFifo } from '../ping-fifo.js';
import { readMemory, type MemoryReading } from '../proc-memory.js';
import { startDaemon, stopTree } from '../processes.js';
import { interleaveAll, rounds, type BenchContext, type Metric, type Scenario } from '../scenario.js';
import { writeService } from '../service-dirs.js';
import { median } from '../stats.js';

const BASE = ['--jitless', '--no-expose-wasm', '--v8-pool-size=0'];
const DAEMON = [...BASE, '--max-semi-space-size=1'];

/** The flag sets tried; the second is what runsvdir gives its service host (dir-scanner's DAEMON_NODE_FLAGS). */
export const FLAG_SETS: string[][] = [
  [],
  DAEMON,
  BASE,
  ['--jitless', '--no-expose-wasm'],
  ['--v8-pool-size=0'],
  [...DAEMON, '--optimize-for-size'],
  ['--single-threaded', '--jitless', '--no-expose-wasm'],
];

const flagText = (flags: readonly string[]): string => (flags.length === 0 ? '(none)' : flags.join(' '));

interface Reading {
  memory: MemoryReading;
  /** From spawn to the program being ready (runsv: its service pinged; svlogd: its first line written). */
  startMs: number;
}

type Program = 'runsv' | 'svlogd';

/** `[file, ...args]` that runs program with flags: ours through node and the bundle, runit's directly. */
function commandLine(context: BenchContext, program: Program, flags: readonly string[] | 'runit'): string[] {
  if (flags === 'runit') return [context.runit(program)];
  return ['node', ...flags, realpathSync(context.ours(program))];
}

async function settleAndRead(context: BenchContext, pid: number): Promise<MemoryReading> {
  await sleep(context.quick ? 1000 : 2500);
  const readings: MemoryReading[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(300);
    readings.push(readMemory(pid));
  }
  return { pss: median(readings.map((r) => r.pss)), private: median(readings.map((r) => r.private)), rss: median(readings.map((r) => r.rss)) };
}

async function measureRunsv(context: BenchContext, ping: PingFifo, flags: readonly string[] | 'runit', id: number): Promise<Reading> {
  const name = `flags-${id}`;
  const service = writeService(context.tempDir('bench-flags-'), { name, ping: ping.path });
  const [file, ...args] = commandLine(context, 'runsv', flags);
  const t0 = performance.now();
  const daemon = startDaemon(context.cleanup, file!, [...args, service]);
  try {
    const { at } = await ping.next(name, t0);
    return { startMs: at - t0, memory: await settleAndRead(context, daemon.pid) };
  } finally {
    await stopTree(daemon.pid, 'SIGTERM', 10_000);
    ping.forget();
  }
}

async function measureSvlogd(context: BenchContext, flags: readonly string[] | 'runit'): Promise<Reading> {
  const dir = join(context.tempDir('bench-flags-log-'), 'main');
  mkdirSync(dir);
  const [file, ...args] = commandLine(context, 'svlogd', flags);
  const t0 = performance.now();
  const logger = spawn(file!, [...args, '-tt', dir], { stdio: ['pipe', 'ignore', 'ignore'] });
  context.cleanup.add(() => void logger.kill('SIGKILL'));
  const exited = new Promise<void>((resolve) => logger.on('exit', () => resolve()));
  try {
    logger.stdin!.write('ready\n');
    await waitFor(() => existsSync(join(dir, 'current')) && readFileSync(join(dir, 'current'), 'utf8').includes('ready'), 'svlogd to write', 60_000);
    const startMs = performance.now() - t0;
    return { startMs, memory: await settleAndRead(context, logger.pid!) };
  } finally {
    logger.stdin!.end(); // end-of-file: svlogd exits
    await exited;
  }
}

export const nodeFlags: Scenario = {
  name: 'node-flags',
  description:
    'one `runsv` (one service) and one idle `svlogd -tt`, ours run as `node FLAGS bundle` under several flag sets, memory ' +
    '(smaps_rollup of that one process after settling) and time from spawn to ready (runsv: its ./run pinged; svlogd: its first line written)',
  async run(context) {
    const sets = context.quick ? FLAG_SETS.slice(0, 2) : FLAG_SETS;
    const ping = new PingFifo(join(context.tempDir('bench-flags-fifo-'), 'ping'));
    context.cleanup.add(() => ping.close());
    const n = rounds(context, 1, 1);
    let id = 0;
    const sides: Array<readonly string[] | 'runit'> = ['runit', ...sets];
    const results = new Map<Program, Reading[][]>();
    for (const program of ['runsv', 'svlogd'] as const) {
      context.log(`node-flags: ${program} under ${sets.length} flag sets, ${n} round(s)`);
      const measure = (flags: readonly string[] | 'runit') => () =>
        program === 'runsv' ? measureRunsv(context, ping, flags, id++) : measureSvlogd(context, flags);
      results.set(program, await interleaveAll(n, sides.map(measure)));
    }

    const MiB = 1024 * 1024;
    const metrics: Metric[] = [];
    const rows: string[] = [];
    for (const program of ['runsv', 'svlogd'] as const) {
      const [runit, ...ours] = results.get(program)!;
      const privateOf = (readings: Reading[]) => readings.map((r) => r.memory.private / MiB);
      // the table: what runsvdir's flags change; every other set is in the details
      metrics.push({
        id: `flags-${program}`,
        label: `${program}, node ${flagText(DAEMON)}: private`,
        unit: 'MiB',
        ours: privateOf(ours[1]!),
        runit: privateOf(runit!),
        baseline: { label: 'no flags', samples: privateOf(ours[0]!) },
        chart: false,
      });
      const row = (text: string, readings: Reading[]) => {
        const m = (f: (r: Reading) => number) => median(readings.map(f));
        rows.push(
          `| ${program} | ${text} | ${(m((r) => r.memory.pss) / MiB).toFixed(2)} | ${(m((r) => r.memory.private) / MiB).toFixed(2)} | ` +
            `${(m((r) => r.memory.rss) / MiB).toFixed(2)} | ${m((r) => r.startMs).toFixed(0)} |`,
        );
      };
      row('runit (C)', runit!);
      sets.forEach((flags, i) => row(`\`${flagText(flags)}\``, ours[i]!));
    }
    return {
      metrics,
      details: [
        'Medians (MiB; ms). Our commands\' launchers (sh scripts that exec node) run it with no flags; runsvdir starts its service host ' +
          `with \`${DAEMON.join(' ')}\`. \`--no-expose-wasm\` goes with \`--jitless\` because without it Node warns at every start.`,
        '',
        '| program | node flags | PSS | private | RSS | spawn to ready (ms) |',
        '|---|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    };
  },
};

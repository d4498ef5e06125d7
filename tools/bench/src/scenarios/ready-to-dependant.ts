// Start order: from the moment a service says it is ready to the first act of the ./run that waits for
// it. Ours: `notification-fd` on the dependency and `needs` on the dependant, under our runsvdir;
// runit: a ./check on the dependency and `sv -w 30 start ../db || exit 1` atop the dependant's ./run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PingFifo, pingLine } from '../ping-fifo.js';
import { startRunsvdir, stopRunsvdir, type Flavour } from '../runsvdirs.js';
import { interleaveAll, rounds, type BenchContext, type Scenario } from '../scenario.js';
import { script, writeExecutable } from '../service-dirs.js';

/** db is ready this long after its ./run starts, plus a different share of SPREAD_MS in each round. */
const BASE_DELAY_MS = 1000;
/**
 * runit's sv looks every 420 ms; a delay fixed to the millisecond would put db's readiness at the same
 * place between two looks in every round. Spreading it over more than one interval samples every place.
 */
const SPREAD_MS = 500;

/** A time stamp in ns since the epoch, by the same program on both sides. */
const stamp = (file: string): string => `date +%s%N > '${file}'`;

interface Round {
  base: string;
  svdir: string;
  /** Where db's ./run writes its stamp just before it says it is ready. */
  readyAt: string;
  /** Where app's ./run writes its stamp first thing (runit: once sv has returned). */
  runAt: string;
}

function writeServices(context: BenchContext, flavour: Flavour, round: Round, delayMs: number, pingPath: string, name: string): void {
  const db = join(round.svdir, 'db');
  const app = join(round.svdir, 'app');
  mkdirSync(db, { recursive: true });
  mkdirSync(app, { recursive: true });
  const delay = `sleep ${(delayMs / 1000).toFixed(3)}`;
  const appStarts = [stamp(round.runAt), pingLine(pingPath, name), 'exec sleep 100000'];
  if (flavour === 'ours') {
    writeFileSync(join(db, 'notification-fd'), '3\n');
    writeExecutable(join(db, 'run'), script(delay, stamp(round.readyAt), 'echo >&3', 'exec sleep 100000'));
    writeFileSync(join(app, 'needs'), 'db\n');
    writeExecutable(join(app, 'run'), script(...appStarts));
  } else {
    const readyFile = join(round.base, 'db-ready');
    writeExecutable(join(db, 'run'), script(delay, stamp(round.readyAt), `: > '${readyFile}'`, 'exec sleep 100000'));
    writeExecutable(join(db, 'check'), script(`test -e '${readyFile}'`));
    writeExecutable(join(app, 'run'), script(`'${context.runit('sv')}' -w 30 start ../db > /dev/null || exit 1`, ...appStarts));
  }
}

const nanoseconds = (file: string): bigint => BigInt(readFileSync(file, 'utf8').trim());

/** One round: a fresh services dir with db and app under a fresh runsvdir, until app's ./run has pinged. */
async function readyToRun(context: BenchContext, flavour: Flavour, ping: PingFifo, index: number, delayMs: number): Promise<number> {
  const base = context.tempDir(`bench-ready-${flavour}-`);
  const round: Round = { base, svdir: join(base, 'services'), readyAt: join(base, 'db-ready-at'), runAt: join(base, 'app-run-at') };
  const name = `${flavour}-app-${index}`;
  writeServices(context, flavour, round, delayMs, ping.path, name);
  const since = performance.now();
  const daemon = startRunsvdir(context, flavour, round.svdir);
  try {
    await ping.next(name, since, 60_000).catch((error: unknown) => {
      throw new Error(`bench: ${flavour}: app's ./run never ran: ${(error as Error).message}\nrunsvdir stderr:\n${daemon.stderr()}`);
    });
  } finally {
    await stopRunsvdir(daemon);
  }
  const elapsedNs = nanoseconds(round.runAt) - nanoseconds(round.readyAt);
  if (elapsedNs < 0n) throw new Error(`bench: ${flavour}: app's ./run ran ${-elapsedNs} ns before db was ready`);
  return Number(elapsedNs) / 1e6;
}

export const readyToDependant: Scenario = {
  name: 'ready-to-dependant',
  description:
    'time from a service\'s readiness to the first act of the ./run that depends on it, two services (db, app) under a runsvdir. ' +
    'Ours: db has `notification-fd` (its ./run writes a newline on fd 3), app has `needs` naming db; runit: db has a ./check ' +
    'that passes once db\'s ./run has made a file, app\'s ./run starts with `sv -w 30 start ../db || exit 1` (runit\'s sv)',
  async run(context) {
    const ping = new PingFifo(join(context.tempDir('bench-ready-fifo-'), 'ping'));
    context.cleanup.add(() => ping.close());
    const n = rounds(context, 4, 12);
    context.log(`ready-to-dependant: ${n} starts of db and app each`);
    const delayOf = (index: number): number => BASE_DELAY_MS + Math.round((SPREAD_MS * index) / n);
    const counts: Record<Flavour, number> = { ours: 0, runit: 0 };
    const side = (flavour: Flavour) => () => {
      const index = counts[flavour]++;
      return readyToRun(context, flavour, ping, index, delayOf(index));
    };
    const [ours, runit] = await interleaveAll(n, [side('ours'), side('runit')]);
    return {
      metrics: [
        {
          id: 'ready-to-dependant',
          label: 'dependency ready to its dependant\'s ./run',
          unit: 'ms',
          ours: ours!,
          runit: runit!,
          note: 'runit\'s sv looks at the dependency every 420 ms (running ./check each time); ours wakes on inotify when db\'s supervisor writes its readiness. No goal was set.',
        },
      ],
      details:
        `db's ./run sleeps ${BASE_DELAY_MS} ms plus a share of ${SPREAD_MS} ms that differs from round to round (the same on both sides), ` +
        'then writes `date +%s%N` to a file and at once says it is ready (ours: a newline on fd 3; runit: creates the file its ./check tests). ' +
        'app\'s ./run writes `date +%s%N` to a file as its first act (runit: right after sv returned), then pings the harness. ' +
        'The figure is the difference between the two stamps, both taken by `date` on the same clock, so each includes one start of `date`; ' +
        'every round starts a fresh runsvdir over a fresh services dir.',
    };
  },
};

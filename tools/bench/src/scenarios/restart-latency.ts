// Restart latency: kill -9 of a ./run that has run more than a second, until the new ./run pings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, sleep } from '@runit-ts/test-support';
import { PingFifo, type Ping } from '../ping-fifo.js';
import { startDaemon, type Daemon } from '../processes.js';
import { interleaveAll, rounds, type BenchContext, type Scenario } from '../scenario.js';
import { writeService } from '../service-dirs.js';

/** runsv's 1-second rule restarts a ./run that lived less than a second only after a pause: stay clear of it. */
const MIN_RUN_MS = 1200;
/**
 * Quiet time after any side's restart before the next kill. A supervisor's work goes on after its
 * new ./run has pinged (status renames, their ext4 flushes): a kill right after it measured the next
 * side 15–25 % slower than the same side killed on a quiet machine.
 */
const SETTLE_MS = 300;

interface Side {
  name: string;
  last: Ping;
  serviceDir: string;
  daemon: Daemon;
}

async function startSides(context: BenchContext, ping: PingFifo): Promise<Side[]> {
  const dir = context.tempDir('bench-restart-');
  const service = (parent: string, name: string) => writeService(parent, { name, ping: ping.path });
  const svdir = join(dir, 'svdir');
  const since = performance.now();
  const started = [
    { name: 'runit', serviceDir: service(dir, 'runit'), daemon: startDaemon(context.cleanup, context.runit('runsv'), [join(dir, 'runit')]) },
    { name: 'ours', serviceDir: service(dir, 'ours'), daemon: startDaemon(context.cleanup, context.ours('runsv'), [join(dir, 'ours')]) },
    // runsvdir's service host (one Node process for every service, with the daemon flags)
    { name: 'in-host', serviceDir: service(svdir, 'in-host'), daemon: startDaemon(context.cleanup, context.ours('runsvdir'), [svdir]) },
  ];
  const first = await ping.all(
    started.map((s) => s.name),
    since,
  );
  return started.map((s) => ({ ...s, last: first.get(s.name)! }));
}

/** What the supervisor shows when a restart did not come. */
function explainMissingRestart(side: Side, killed: number, error: unknown): Error {
  const read = (file: string) => {
    try {
      return readFileSync(join(side.serviceDir, 'supervise', file), 'utf8').trim();
    } catch (e) {
      return `(${(e as Error).message})`;
    }
  };
  return new Error(
    `bench: ${side.name}: no new ./run after kill -9 of ${killed} (${isAlive(killed) ? 'still alive' : 'gone'}): ${(error as Error).message}\n` +
      `supervise/stat: ${read('stat')}; supervise/pid: ${read('pid')}; supervisor stderr:\n${side.daemon.stderr()}`,
  );
}

/** One restart: wait out the 1-second rule and the previous restart, SIGKILL the service, time until its successor pings. */
async function restartOnce(side: Side, ping: PingFifo, quiet: { since: number }): Promise<number> {
  const wait = Math.max(side.last.at + MIN_RUN_MS, quiet.since + SETTLE_MS) - performance.now();
  if (wait > 0) await sleep(wait);
  const t0 = performance.now();
  process.kill(side.last.pid, 'SIGKILL');
  const next = await ping.next(side.name, t0, 30_000).catch((error: unknown) => {
    throw explainMissingRestart(side, side.last.pid, error);
  });
  if (next.pid === side.last.pid) throw new Error(`bench: ${side.name}: the killed pid ${next.pid} pinged again`);
  side.last = next;
  quiet.since = performance.now();
  return next.at - t0;
}

export const restartLatency: Scenario = {
  name: 'restart-latency',
  description:
    'time from `kill -9` of a service\'s ./run (running for more than 1 s) to the first act of the new ./run ' +
    '(a line on a FIFO the harness reads), for our `runsv`, a service in our runsvdir\'s service host, and runit\'s runsv',
  async run(context) {
    const ping = new PingFifo(join(context.tempDir('bench-restart-fifo-'), 'ping'));
    context.cleanup.add(() => ping.close());
    const sides = await startSides(context, ping);
    const quiet = { since: performance.now() };
    const n = rounds(context, 6, 30);
    context.log(`restart-latency: ${n} restarts of each`);
    const [runit, ours, inHost] = await interleaveAll(
      n,
      sides.map((side) => () => restartOnce(side, ping, quiet)),
    );
    const goal = { kind: 'ratio', max: 1, against: 'runit', text: 'no slower than runsv' } as const;
    return {
      metrics: [
        { id: 'restart-runsv', label: 'restart after kill -9: runsv', unit: 'ms', ours: ours!, runit: runit!, goal },
        {
          id: 'restart-host',
          label: 'restart after kill -9: runsvdir host',
          unit: 'ms',
          ours: inHost!,
          runit: runit!,
          goal,
          note: 'the service runs under our runsvdir (its service host, started with --jitless --no-expose-wasm --v8-pool-size=0 --max-semi-space-size=1); runit\'s side is the same real runsv as above.',
        },
      ],
      details:
        'Each ./run is `echo "NAME $$" > FIFO; exec sleep`: the time includes /bin/sh starting and writing one line, the same for both sides. ' +
        'The clock starts just before the harness sends SIGKILL and stops when the line is read (epoll wake-up in the harness). ' +
        `Every kill comes at least ${SETTLE_MS} ms after the previous restart of any side, and each round starts one side further, so that no side is measured while another's restart is still writing its files.`,
    };
  },
};

// Restart latency: kill -9 of a ./run that has run more than a second, until the new ./run pings.
import { join } from 'node:path';
import { sleep } from '@runit-ts/test-support';
import { PingFifo, type Ping } from '../ping-fifo.js';
import { startDaemon } from '../processes.js';
import { interleaveAll, rounds, type BenchContext, type Scenario } from '../scenario.js';
import { writeService } from '../service-dirs.js';

/** runsv's 1-second rule restarts a ./run that lived less than a second only after a pause: stay clear of it. */
const MIN_RUN_MS = 1200;

interface Side {
  name: string;
  last: Ping;
}

async function startSides(context: BenchContext, ping: PingFifo): Promise<Side[]> {
  const dir = context.tempDir('bench-restart-');
  const runsvDir = (name: string) => writeService(dir, { name, ping: ping.path });
  const svdir = join(dir, 'svdir');
  writeService(svdir, { name: 'in-host', ping: ping.path });
  const since = performance.now();
  startDaemon(context.cleanup, context.runit('runsv'), [runsvDir('runit')]);
  startDaemon(context.cleanup, context.ours('runsv'), [runsvDir('ours')]);
  // runsvdir's service host (one Node process for every service, with the daemon flags)
  startDaemon(context.cleanup, context.ours('runsvdir'), [svdir]);
  const first = await ping.all(['runit', 'ours', 'in-host'], since);
  return ['runit', 'ours', 'in-host'].map((name) => ({ name, last: first.get(name)! }));
}

/** One restart: wait out the 1-second rule, SIGKILL the service, time until its successor pings. */
async function restartOnce(side: Side, ping: PingFifo): Promise<number> {
  const wait = side.last.at + MIN_RUN_MS - performance.now();
  if (wait > 0) await sleep(wait);
  const t0 = performance.now();
  process.kill(side.last.pid, 'SIGKILL');
  const next = await ping.next(side.name, t0);
  if (next.pid === side.last.pid) throw new Error(`bench: ${side.name}: the killed pid ${next.pid} pinged again`);
  side.last = next;
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
    const n = rounds(context, 6, 30);
    context.log(`restart-latency: ${n} restarts of each`);
    const [runit, ours, inHost] = await interleaveAll(
      n,
      sides.map((side) => () => restartOnce(side, ping)),
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
          note: 'the service runs under our runsvdir (its service host, started with --jitless --no-expose-wasm --v8-pool-size=0); runit\'s side is the same real runsv as above.',
        },
      ],
      details:
        'Each ./run is `echo "NAME $$" > FIFO; exec sleep`: the time includes /bin/sh starting and writing one line, the same for both sides. ' +
        'The clock starts just before the harness sends SIGKILL and stops when the line is read (epoll wake-up in the harness).',
    };
  },
};

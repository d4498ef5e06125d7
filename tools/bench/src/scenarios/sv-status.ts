// `sv status DIR` against a real runsv: ours vs runit's sv vs `node -e 0`.
import { join } from 'node:path';
import { compareCommand } from '../command-timing.js';
import { PingFifo } from '../ping-fifo.js';
import { startDaemon } from '../processes.js';
import type { Scenario } from '../scenario.js';
import { writeService } from '../service-dirs.js';

/** `run (pid 123) 4s` and runit's other annotations, with the numbers that change blanked out. */
export const blankPidsAndSeconds = (text: string): string => text.replace(/\(pid \d+\)/g, '(pid N)').replace(/\d+s\b/g, 'Ns');

export const svStatus: Scenario = {
  name: 'sv-status',
  description: 'wall time of `sv status DIR` (a service with a log, under the real runsv), from spawn to exit, measured by the harness',
  async run(context) {
    const dir = context.tempDir('bench-sv-');
    const ping = new PingFifo(join(dir, 'ping'));
    context.cleanup.add(() => ping.close());
    const service = writeService(dir, { name: 'svc', ping: ping.path, log: { kind: 'svlogd', svlogd: context.runit('svlogd') } });
    const since = performance.now();
    startDaemon(context.cleanup, context.runit('runsv'), [service]);
    await ping.next('svc', since);
    const metric = await compareCommand(
      context,
      {
        id: 'sv-status',
        label: 'sv status DIR',
        args: ['status', service],
        ours: context.ours('sv'),
        runit: context.runit('sv'),
        normalise: blankPidsAndSeconds,
        goal: { kind: 'ratio', max: 1.1, against: 'baseline', text: 'within 10% of node -e 0' },
        note: 'the goal is against `node -e 0`, the floor of any Node program; the ratio to runit\'s C sv is informational.',
      },
      6,
      40,
    );
    return { metrics: [metric] };
  },
};

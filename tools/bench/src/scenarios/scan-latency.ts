// Scan latency: a complete service dir renamed into the services dir, until its ./run pings.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PingFifo } from '../ping-fifo.js';
import { startRunsvdir, stopRunsvdir, type Flavour } from '../runsvdirs.js';
import { interleaveAll, rounds, type Scenario } from '../scenario.js';
import { writeService } from '../service-dirs.js';

export const scanLatency: Scenario = {
  name: 'scan-latency',
  description:
    'time from `rename(2)` of a complete service dir into the services dir to the first act of its ./run, ' +
    'ours (runsvdir with its service host) vs runit\'s runsvdir + runsv',
  async run(context) {
    const dir = context.tempDir('bench-scan-');
    const ping = new PingFifo(join(dir, 'ping'));
    context.cleanup.add(() => ping.close());
    const flavours: Flavour[] = ['ours', 'runit'];
    const since = performance.now();
    const daemons = flavours.map((flavour) => {
      const svdir = join(dir, flavour, 'services');
      for (const sub of ['stage', 'gone']) mkdirSync(join(dir, flavour, sub), { recursive: true });
      writeService(svdir, { name: `${flavour}-first`, ping: ping.path });
      return startRunsvdir(context, flavour, svdir);
    });
    await ping.all(['ours-first', 'runit-first'], since);

    let round = 0;
    const addService = (flavour: Flavour) => async (): Promise<number> => {
      const name = `${flavour}-${round++}`;
      const base = join(dir, flavour);
      writeService(join(base, 'stage'), { name, ping: ping.path });
      const t0 = performance.now();
      renameSync(join(base, 'stage', name), join(base, 'services', name));
      const { at } = await ping.next(name, t0, 30_000);
      // out again: it stops in the background (runit's runsvdir notices at its next look)
      renameSync(join(base, 'services', name), join(base, 'gone', name));
      return at - t0;
    };
    const n = rounds(context, 3, 12);
    context.log(`scan-latency: ${n} new services each (runit's runsvdir looks every 5 s)`);
    const [ours, runit] = await interleaveAll(n, flavours.map(addService));
    await Promise.all(daemons.map(stopRunsvdir));
    return {
      metrics: [
        {
          id: 'scan-latency',
          label: 'new service dir to ./run running',
          unit: 'ms',
          ours: ours!,
          runit: runit!,
          goal: { kind: 'value', max: 100, of: 'median', text: 'under 100 ms' },
          note: 'runit\'s runsvdir looks at the directory every 5 s; ours watches it with inotify. The ratio is informational.',
        },
      ],
    };
  },
};

// Services that crash in a loop (./run exits at once, runsv restarts it each second): the supervising
// process's resident set sampled as it goes, which must not grow with the number of restarts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanup, sleep, waitFor } from '@runit-ts/test-support';
import { rssKiB } from '../src/procfs.js';
import { SectionRecorder } from '../src/results.js';
import { SIZES } from '../src/sizes.js';
import { startTree, type Flavour } from '../src/tree.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const section = new SectionRecorder(
  'crash-loop',
  3,
  'Services that crash in a loop',
  `${SIZES.crashLoopServices} services whose ./run exits 1 at once, restarted each second by runsv's rule, for ` +
    `${SIZES.crashLoopSeconds} s after a 5 s warm-up (the full size is 90 s). Each cell: the supervising processes' ` +
    'resident set at the start and at the end of the measure, and its highest sample (runit-ts: the service host; ' +
    'runit: every runsv, summed). The per-process mode would run that many Node processes and is left out.',
);
afterAll(() => section.save());

const WARM_UP_MS = 5000;

async function crashLoop(flavour: Flavour): Promise<{ first: number; last: number; high: number; text: string }> {
  const base = cleanup.tempDir('faults-crash-loop-');
  const svdir = join(base, 'service');
  for (let i = 0; i < SIZES.crashLoopServices; i++) {
    mkdirSync(join(svdir, `crash${i}`), { recursive: true });
    writeFileSync(join(svdir, `crash${i}`, 'run'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  }
  const tree = startTree(cleanup, flavour, svdir, { dirs: [base] });
  await waitFor(() => tree.supervisors().length === (flavour === 'runit' ? SIZES.crashLoopServices : 1), 'the supervisors', 30_000);
  const rss = (): number => tree.supervisors().reduce((sum, pid) => sum + rssKiB(pid), 0);
  await sleep(WARM_UP_MS);
  const first = rss();
  let high = first;
  const end = performance.now() + SIZES.crashLoopSeconds * 1000;
  while (performance.now() < end) {
    await sleep(1000);
    high = Math.max(high, rss());
  }
  const last = rss();
  const mib = (kib: number): string => (kib / 1024).toFixed(1);
  return { first, last, high, text: `RSS ${mib(first)} → ${mib(last)} MiB (highest ${mib(high)} MiB)` };
}

describe('services that crash in a loop', () => {
  it(`${SIZES.crashLoopServices} services for ${SIZES.crashLoopSeconds} s`, async () => {
    const ours = await crashLoop('host');
    await cleanup.run();
    const runit = await crashLoop('runit');
    section.add({ case: `${SIZES.crashLoopServices} services crashing for ${SIZES.crashLoopSeconds} s`, ours: ours.text, oursProcess: '—', runit: runit.text });
    // flat: no growth with the number of restarts (a few hundred here)
    expect(ours.last - ours.first).toBeLessThan(1024);
    expect(ours.high - ours.first).toBeLessThan(2048);
  });
});

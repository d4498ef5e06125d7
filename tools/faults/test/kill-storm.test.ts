// A kill storm: one service killed again and again (SIGKILL to the pid in supervise/pid, as fast as
// asked) while its supervisor restarts it; then whether the supervisor kept up (the service runs, the
// status tells the truth) and whether its open fds and resident memory stayed flat.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanup, sleep, waitFor } from '@runit-ts/test-support';
import { fdCount, isAlive, rssKiB, supervisedPid } from '../src/procfs.js';
import { SectionRecorder } from '../src/results.js';
import { SIZES } from '../src/sizes.js';
import { FLAVOURS, runningPid, startTree, type Flavour } from '../src/tree.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const section = new SectionRecorder(
  'storm',
  2,
  'A kill storm',
  `${SIZES.stormKills} SIGKILLs in ${SIZES.stormSeconds} s, round-robin over ${SIZES.stormServices} services (the pid in ` +
    'supervise/pid, read before each kill; the full size is 1,000 in 30 s). Each cell: the kills that hit a process, whether every service runs at the end with ' +
    "the pid `sv status` shows, and the supervising process's open fds and resident set before and after " +
    "(runit-ts: the service host or our runsv; runit: its runsv). runsv's one-second rule makes most kills " +
    'land in a pause, on both sides.',
);
afterAll(() => section.save());

interface Outcome {
  kills: number;
  consistent: boolean;
  fds: [number, number];
  rss: [number, number];
  text: string;
}


async function storm(flavour: Flavour): Promise<Outcome> {
  const base = cleanup.tempDir('faults-storm-');
  const svdir = join(base, 'service');
  const dirs = Array.from({ length: SIZES.stormServices }, (_, i) => join(svdir, `victim${i}`));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  }
  const tree = startTree(cleanup, flavour, svdir, { dirs: [base] });
  for (const dir of dirs) await waitFor(() => runningPid(dir), 'running', 30_000);
  // the one runit-ts process (the host), or the first victim's runsv
  const supervisor = tree.supervisors().sort((a, b) => a - b)[0];
  await sleep(500); // the supervisor settles after its start (the host's heap included)
  const before = { fds: fdCount(supervisor!), rss: rssKiB(supervisor!) };
  const pids = new Set<number>();
  const interval = (SIZES.stormSeconds * 1000) / SIZES.stormKills;
  const started = performance.now();
  let kills = 0;
  for (let i = 0; i < SIZES.stormKills; i++) {
    const pid = supervisedPid(dirs[i % dirs.length]!);
    if (pid > 0) {
      pids.add(pid);
      try {
        process.kill(pid, 'SIGKILL');
        kills++;
      } catch {
        // between its end and the status write
      }
    }
    const next = started + (i + 1) * interval;
    await sleep(Math.max(0, next - performance.now()));
  }
  // the supervisor keeps up: every service runs again, and sv shows that very process
  let consistent = true;
  for (const dir of dirs) {
    const final = await waitFor(() => runningPid(dir), 'running after the storm', 30_000).catch(() => undefined);
    consistent &&= final !== undefined && isAlive(final) && supervisedPid(dir) === final;
  }
  await sleep(500);
  const after = { fds: fdCount(supervisor!), rss: rssKiB(supervisor!) };
  const text =
    `${kills} kills hit, ${pids.size} processes killed; ${consistent ? 'all running, status true' : 'NOT running as the status says'}; ` +
    `fds ${before.fds} → ${after.fds}; RSS ${Math.round(before.rss / 1024)} → ${Math.round(after.rss / 1024)} MiB`;
  return { kills, consistent, fds: [before.fds, after.fds], rss: [before.rss, after.rss], text };
}

describe('a kill storm', () => {
  it(`${SIZES.stormKills} kills in ${SIZES.stormSeconds} s over ${SIZES.stormServices} services`, async () => {
    const outcomes = {} as Record<Flavour, Outcome>;
    for (const flavour of FLAVOURS) {
      outcomes[flavour] = await storm(flavour);
      await cleanup.run();
    }
    section.add({ case: `${SIZES.stormKills} × SIGKILL in ${SIZES.stormSeconds} s, ${SIZES.stormServices} services`, ours: outcomes.host.text, oursProcess: outcomes.process.text, runit: outcomes.runit.text });
    for (const flavour of ['host', 'process'] as const) {
      const o = outcomes[flavour];
      expect(o.consistent).toBe(true);
      expect(o.fds[1]).toBeLessThanOrEqual(o.fds[0]);
      // flat: the heap may settle, but not grow with the number of restarts
      expect(o.rss[1] - o.rss[0]).toBeLessThan(4096);
    }
  });
});

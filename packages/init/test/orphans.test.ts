// PID 1 reaps every orphan and its memory stays flat: tens of thousands of orphans are re-parented to
// our runit, which must reap them all (none left a zombie) with no growth in its resident set.
// The million-orphan run is scripts/orphan-soak.sh, run by hand.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot, waitFor } from '@runit-ts/test-support';
import { OURS } from './support/flavours.js';
import { BootedNamespace } from './support/namespace.js';
import { NOSYNC, poweredOff, script, waitingStage } from './support/scenario.js';

const ORPHANS = Number(process.env.RUNIT_TS_TEST_ORPHANS ?? 20_000);
const WARM_UP = 2000;
/** Allowed growth of PID 1's RSS across the run (the figures measured are in the test's output). */
const MAX_RSS_GROWTH_KIB = 8 * 1024;
const GENERATOR_SOURCE = fileURLToPath(new URL('./fixtures/make-orphans.c', import.meta.url));

/** Builds the orphan generator with the first C (or C++) compiler found: the addon's build needs one. */
function buildGenerator(dir: string): string {
  const out = join(dir, 'make-orphans');
  for (const compiler of ['cc', 'gcc', 'c++', 'g++']) {
    try {
      execFileSync(compiler, ['-O2', '-x', 'c', '-o', out, GENERATOR_SOURCE], { stdio: 'pipe' });
      return out;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error('no C compiler (cc, gcc, c++, g++) to build the orphan generator');
}

interface Report {
  orphans: number;
  rssKiB: number;
}

const REPORT = /^- runit: report: stage \S+, (\d+) orphans reaped, rss (\d+) kB\.$/;

async function report(ns: BootedNamespace): Promise<Report> {
  const seen = ns.console.lines().filter((l) => REPORT.test(l)).length;
  await ns.signalInit('USR1');
  await ns.console.waitForLine(REPORT, seen + 1);
  const [, orphans, rss] = REPORT.exec(ns.console.lines().filter((l) => REPORT.test(l))[seen]!)!;
  return { orphans: Number(orphans), rssKiB: Number(rss) };
}

describe('ours: orphans', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it(`reaps ${ORPHANS} orphans, leaves no zombie, and keeps its memory flat`, async () => {
    requireRoot();
    const dir = cleanup.tempDir('runit-init-orphans-');
    const generator = buildGenerator(dir);
    const ns = new BootedNamespace(cleanup, dir, {
      command: [OURS.runit],
      etc: { '1': script('true'), '2': waitingStage('stage 2'), '3': script('true'), nosync: NOSYNC },
    });
    await ns.console.waitForLine('stage 2: up');
    // The generator exits before its last orphans do: wait until none is left, running or a zombie.
    const noZombies = (): Promise<void> =>
      waitFor(
        async () => !(await ns.processes()).some((p) => p.state === 'Z' || p.comm === 'make-orphans'),
        'every orphan ended and reaped',
        300_000,
      );

    // A warm-up first, so that the heap has reached its working size before the measure.
    await ns.exec([generator, String(WARM_UP), '500'], 600_000);
    await noZombies();
    const before = await report(ns);
    await ns.exec([generator, String(ORPHANS), '1000'], 1_800_000);
    await noZombies();
    const after = await report(ns);
    console.log(
      `PID 1 reaped ${after.orphans - before.orphans} orphans; rss ${before.rssKiB} kB before, ${after.rssKiB} kB after ` +
        `(${after.rssKiB - before.rssKiB >= 0 ? '+' : ''}${after.rssKiB - before.rssKiB} kB)`,
    );
    expect(after.orphans - before.orphans).toBe(ORPHANS);
    expect(after.rssKiB - before.rssKiB).toBeLessThan(MAX_RSS_GROWTH_KIB);

    await ns.runitInit(OURS, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines().filter((l) => !REPORT.test(l))).toEqual(poweredOff());
  }, 2_400_000);
});

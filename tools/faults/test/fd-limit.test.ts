// Too few file descriptors: runsvdir started under a tight RLIMIT_NOFILE over many services. How many
// run, what is said about the others and how often, whether the running ones keep writing their
// status, and whether the others start once fds return (services removed from the directory).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { SectionRecorder } from '../src/results.js';
import { SIZES } from '../src/sizes.js';
import { cmdlineOf } from '../src/procfs.js';
import { FLAVOURS, runningPid, runSv, startTree, type Flavour, type Tree } from '../src/tree.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const section = new SectionRecorder(
  'fd-limit',
  4,
  'Too few file descriptors',
  `runsvdir started under \`ulimit\` over ${SIZES.fdServices} services: a soft limit of ${SIZES.fdLimit} under a high hard ` +
    `one, then a hard limit of ${SIZES.fdLimit} (no process may raise it), then a hard limit of ${SIZES.fdHard} over ` +
    `${SIZES.fdLogged} services with a log (the full size: 400 under 4096). Each cell: the services running after the ` +
    'set-up settled, the warning lines per second meanwhile, whether a running service\'s status still followed ' +
    'a restart, and, for the hard limit, how many of the others started once the running ones were taken out of the directory.',
);
afterAll(() => section.save());

const NONE_RUNNING_MS = 30_000;
const STARTING_MS = 60_000;

/** A runsv runsvdir started (`runsv NAME`, ours or runit's) whose service is not running yet. */
function runsvStarting(tree: Tree, svdir: string): boolean {
  return tree.supervisors().some((pid) => {
    const argv = cmdlineOf(pid).split('\0').filter(Boolean);
    const name = argv.at(-1) ?? '';
    return /(^|\/)runsv(\.cjs)?$/.test(argv.at(-2) ?? '') && /^svc\d+$/.test(name) && runningPid(join(svdir, name)) === undefined;
  });
}
const SETTLE_MS = 8000;

function services(svdir: string, count: number, logged: boolean): string[] {
  return Array.from({ length: count }, (_, i) => {
    const dir = join(svdir, `svc${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
    if (logged) {
      mkdirSync(join(dir, 'log'));
      writeFileSync(join(dir, 'log', 'run'), '#!/bin/sh\nexec cat > /dev/null\n', { mode: 0o755 });
    }
    return dir;
  });
}

interface Outcome {
  running: number;
  lines: number;
  linesPerSecond: number;
  statusFollows: boolean;
  recovered?: number;
  text: string;
}

async function underLimit(flavour: Flavour, ulimit: string, count: number, logged: boolean, recover: boolean): Promise<Outcome> {
  const base = cleanup.tempDir('faults-fds-');
  const svdir = join(base, 'service');
  const dirs = services(svdir, count, logged);
  const tree = startTree(cleanup, flavour, svdir, { dirs: [base], before: ulimit });
  const started = performance.now();
  // settled: every service runs, or the count has not moved for 3 s (after at least 8 s) while no
  // runsv process is still starting up (a runsv whose service does not run yet: 50 Node runsv starting
  // at once take tens of seconds on a loaded machine); none running yet counts only after 30 s, and a
  // runsv still starting only until STARTING_MS
  let last = { count: -1, at: started };
  await waitFor(
    () => {
      const count = dirs.filter((dir) => runningPid(dir) !== undefined).length;
      const now = performance.now();
      if (count !== last.count) last = { count, at: now };
      const quiet = now - started >= SETTLE_MS && now - last.at >= 3000;
      const coming = runsvStarting(tree, svdir) && now - started < STARTING_MS;
      return count === dirs.length || (quiet && !coming && (count > 0 || now - started >= NONE_RUNNING_MS));
    },
    'the set-up settled',
    STARTING_MS + 30_000,
  );
  const runningDirs = dirs.filter((dir) => runningPid(dir) !== undefined);
  const lines = tree.stderr().split('\n').filter(Boolean).length;
  const linesPerSecond = lines / ((performance.now() - started) / 1000);
  // a running service restarted: its status must show the new pid
  let statusFollows = false;
  const probe = runningDirs[0];
  if (probe) {
    const pid = runningPid(probe)!;
    runSv(['term', probe]);
    statusFollows = await waitFor(() => {
      const now = runningPid(probe);
      return now !== undefined && now !== pid;
    }, 'the restart shown', 10_000).then(() => true, () => false);
  }
  let recovered: number | undefined;
  if (recover) {
    // fds return: the running services leave the directory, and as many waiting ones take their place
    const gone = join(base, 'gone');
    mkdirSync(gone);
    const waiting = dirs.filter((dir) => !runningDirs.includes(dir));
    for (const dir of runningDirs) renameSync(dir, join(gone, dir.slice(svdir.length + 1)));
    const expected = Math.min(runningDirs.length, waiting.length);
    const started = (): number => waiting.filter((dir) => runningPid(dir) !== undefined).length;
    await waitFor(() => started() >= expected, 'waiting services started', 20_000).catch(() => undefined);
    recovered = started();
  }
  const sample = tree
    .stderr()
    .split('\n')
    .find((line) => line !== '');
  const text =
    `${runningDirs.length}/${count} running; ${linesPerSecond.toFixed(1)} lines/s on stderr` +
    `${sample ? ` (e.g. \`${sample.replace(/\/tmp\/faults-fds-[^/]+\/service\//g, '').replace(/\/tmp\/faults-fds-[^/]+\/service/g, 'DIR')}\`)` : ''}; ` +
    `${probe ? (statusFollows ? 'status follows a restart' : 'status does NOT follow a restart') : 'nothing to restart'}` +
    `${recovered === undefined ? '' : `; once the ${runningDirs.length} running left, ${recovered} of the others started`}`;
  return { running: runningDirs.length, lines, linesPerSecond, statusFollows, recovered, text };
}

describe('too few file descriptors', () => {
  it(`a soft limit of ${SIZES.fdLimit} (hard limit high) over ${SIZES.fdServices} services`, async () => {
    const outcomes = {} as Record<Flavour, Outcome>;
    for (const flavour of FLAVOURS) {
      outcomes[flavour] = await underLimit(flavour, `ulimit -S -n ${SIZES.fdLimit}`, SIZES.fdServices, false, false);
      await cleanup.run();
    }
    section.add({ case: `\`ulimit -S -n ${SIZES.fdLimit}\`, ${SIZES.fdServices} services`, ours: outcomes.host.text, oursProcess: outcomes.process.text, runit: outcomes.runit.text });
    expect(outcomes.host.running).toBe(SIZES.fdServices);
    expect(outcomes.process.running).toBe(SIZES.fdServices);
  });

  it(`a hard limit of ${SIZES.fdLimit} over ${SIZES.fdServices} services, then the running ones gone`, async () => {
    const outcomes = {} as Record<Flavour, Outcome>;
    for (const flavour of FLAVOURS) {
      outcomes[flavour] = await underLimit(flavour, `ulimit -n ${SIZES.fdLimit}`, SIZES.fdServices, false, true);
      await cleanup.run();
    }
    section.add({ case: `\`ulimit -n ${SIZES.fdLimit}\`, ${SIZES.fdServices} services, then the running ones removed`, ours: outcomes.host.text, oursProcess: outcomes.process.text, runit: outcomes.runit.text });
    const host = outcomes.host;
    // the services the host has no fds for get a runsv process each, with an fd table of its own
    expect(host.running).toBe(SIZES.fdServices);
    expect(host.statusFollows).toBe(true);
    // one line for each service moved out of the host, said once
    expect(host.lines).toBeLessThan(SIZES.fdServices);
    expect(host.recovered).toBe(Math.min(host.running, SIZES.fdServices - host.running));
    expect(outcomes.process.running).toBe(SIZES.fdServices);
  });

  it(`a hard limit of ${SIZES.fdHard} over ${SIZES.fdLogged} services with a log`, async () => {
    const outcomes = {} as Record<Flavour, Outcome>;
    for (const flavour of ['host', 'runit'] as const) {
      outcomes[flavour] = await underLimit(flavour, `ulimit -n ${SIZES.fdHard}`, SIZES.fdLogged, true, false);
      await cleanup.run();
    }
    section.add({ case: `\`ulimit -n ${SIZES.fdHard}\`, ${SIZES.fdLogged} services with a log`, ours: outcomes.host.text, oursProcess: '—', runit: outcomes.runit.text });
    expect(outcomes.host.running).toBe(SIZES.fdLogged);
  });
});

// kill -9 of the supervising processes while two services log numbered lines at speed through svlogd:
// the service host (or each runsv), runsvdir (started again, as init would), or all of them at once.
// Afterwards: how many instances of each ./run run, whether the pids stayed, when sv works again, and
// the log, line by line: lost, repeated, written by a second instance.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { command, shellCommand } from '../src/commands.js';
import { countNumbered, describeCount, logDirLines, numberedRun } from '../src/numbered.js';
import { instancesIn, isAlive, killAll, processes, cwdOf } from '../src/procfs.js';
import { SectionRecorder } from '../src/results.js';
import { FLAVOURS, runningPid, runSv, startTree, type Flavour, type Tree } from '../src/tree.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const section = new SectionRecorder(
  'kill',
  1,
  'kill -9 of the supervisors while services log at speed',
  'Two services write a numbered line every 5 ms (`<pid> <n>`) through `svlogd` (ours under runit-ts, which hands its dirs to the service host in its ' +
    "default mode and is a process in the per-process mode; runit's under runit). Then `kill -9` of: the supervisors (the service host; or every runsv), " +
    'runsvdir (then started again, as init does), or all of them at once (then runsvdir started again). ' +
    'Each cell: the lines of both logs (lost inside an instance\'s count, repeated, how many ./run ' +
    'instances wrote), the ./run processes running a second later, whether they are the same pids, ' +
    'and how long until `sv status` showed every service running again. Asserted for ours: nothing repeated, one instance, ' +
    'the same pids, and no lines lost except, when the service host is killed, the one read it held per log (as a killed svlogd loses its read).',
);
afterAll(() => section.save());

type Target = 'supervisors' | 'runsvdir' | 'all';

interface Outcome {
  /** The largest number of places one log lost lines at. */
  gapsPerLog: number;
  repeated: number;
  instancesWrote: number;
  running: number;
  samePids: boolean;
  backAfterMs: number | undefined;
  text: string;
}

const SERVICES = ['a', 'b'];

function makeTree(base: string, flavour: Flavour): string {
  const svdir = join(base, 'service');
  const svlogd = shellCommand(command(flavour === 'runit' ? 'runit' : 'ours', 'svlogd'));
  for (const name of SERVICES) {
    const dir = join(svdir, name);
    mkdirSync(join(dir, 'log', 'main'), { recursive: true });
    writeFileSync(join(dir, 'run'), `#!/bin/sh\n${numberedRun()}\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'log', 'run'), `#!/bin/sh\nexec ${svlogd} ./main\n`, { mode: 0o755 });
  }
  return svdir;
}

const linesIn = (dir: string): number => logDirLines(join(dir, 'log', 'main')).length;

async function killAndSee(flavour: Flavour, target: Target): Promise<Outcome> {
  const base = cleanup.tempDir('faults-kill-');
  const svdir = makeTree(base, flavour);
  const dirs = SERVICES.map((name) => join(svdir, name));
  let tree: Tree = startTree(cleanup, flavour, svdir, { dirs: [base] });
  const before = new Map<string, number>();
  for (const dir of dirs) {
    before.set(dir, await waitFor(() => runningPid(dir), `${dir} running`, 30_000));
    await waitFor(() => linesIn(dir) > 50, `${dir} logging`, 30_000);
  }
  const supervisors = tree.supervisors();
  expect(supervisors.length).toBeGreaterThan(0);
  const killed = performance.now();
  if (target !== 'runsvdir') killAll(supervisors);
  if (target !== 'supervisors') {
    process.kill(tree.pid, 'SIGKILL');
    await tree.exit;
    tree = startTree(cleanup, flavour, svdir, { dirs: [base] });
  }
  await waitFor(() => supervisors.every((pid) => target === 'runsvdir' || !isAlive(pid)), 'the supervisors gone');
  let backAfterMs: number | undefined;
  await waitFor(
    () => {
      if (dirs.every((dir) => runningPid(dir) !== undefined)) backAfterMs ??= performance.now() - killed;
      return backAfterMs !== undefined && dirs.every((dir) => linesIn(dir) > 0);
    },
    'every service shown running again',
    30_000,
  ).catch(() => undefined);
  // a second of service after the kill, whatever happened, then the count of instances
  await waitFor(() => performance.now() - killed > 1000, 'a second');
  const running = Math.max(...dirs.map((dir) => instancesIn(dir).length));
  const samePids = dirs.every((dir) => runningPid(dir) === before.get(dir));
  // stop: every writer ends (unsupervised instances too), then each log reads its end of file
  for (const dir of dirs) runSv(['-w', '15', 'down', dir]);
  for (const dir of dirs) killAll(instancesIn(dir));
  const loggers = processes()
    .filter((p) => dirs.some((dir) => cwdOf(p.pid) === join(dir, 'log')))
    .map((p) => p.pid);
  for (const dir of dirs) runSv(['exit', dir]);
  await waitFor(() => loggers.every((pid) => !isAlive(pid)), 'the loggers done', 30_000).catch(() => killAll(loggers));
  const counts = dirs.map((dir) => countNumbered(logDirLines(join(dir, 'log', 'main'))));
  const total = {
    lines: counts.reduce((s, c) => s + c.lines, 0),
    lost: counts.reduce((s, c) => s + c.lost, 0),
    gaps: counts.reduce((s, c) => s + c.gaps, 0),
    repeated: counts.reduce((s, c) => s + c.repeated, 0),
    instances: Math.max(...counts.map((c) => c.instances)),
  };
  const back = backAfterMs === undefined ? 'sv never showed both running again' : `sv back after ${Math.round(backAfterMs)} ms`;
  const text = `${describeCount(total)}; ${running} ./run running per service; ${samePids ? 'same pids' : 'new pids'}; ${back}`;
  const gapsPerLog = Math.max(...counts.map((c) => c.gaps));
  return { gapsPerLog, repeated: total.repeated, instancesWrote: total.instances, running, samePids, backAfterMs, text };
}

const TARGETS: Record<Target, string> = {
  supervisors: 'kill -9 of the service host / of every runsv',
  runsvdir: 'kill -9 of runsvdir, started again',
  all: 'kill -9 of runsvdir and every supervisor, runsvdir started again',
};

describe('kill -9 of the supervising processes', () => {
  for (const target of Object.keys(TARGETS) as Target[]) {
    it(TARGETS[target], async () => {
      const outcomes = {} as Record<Flavour, Outcome>;
      for (const flavour of FLAVOURS) {
        outcomes[flavour] = await killAndSee(flavour, target);
        await cleanup.run();
      }
      section.add({ case: TARGETS[target], ours: outcomes.host.text, oursProcess: outcomes.process.text, runit: outcomes.runit.text });
      for (const flavour of ['host', 'process'] as const) {
        const o = outcomes[flavour];
        // With the hand-off the host reads each log; killed between a read and its write, it takes that
        // one read with it, as a killed svlogd does (docs/decisions/0008). Nothing else may go missing.
        const readsHeld = flavour === 'host' && target !== 'runsvdir' ? 1 : 0;
        expect(o.gapsPerLog, `${flavour}: ${o.text}`).toBeLessThanOrEqual(readsHeld);
        expect({ flavour, repeated: o.repeated, wrote: o.instancesWrote, running: o.running, samePids: o.samePids }).toEqual({
          flavour,
          repeated: 0,
          wrote: 1,
          running: 1,
          samePids: true,
        });
      }
    });
  }
});

// OOM protection: runsvdir, its service host and our runsv lower their own oom_score_adj and every
// process they start gets back the value runsvdir was started with, read back from /proc.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAP_SYS_RESOURCE, Cleanup, hasCapability, oomScoreAdjOf, requireRoot, waitFor } from '@runit-ts/test-support';
import { childrenOf, cmdlineOf } from './support/procfs.js';
import { startRunsvdir, waitRunning } from './support/runsvdir-run.js';
import { makeService, supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** What runsvdir is started with: above 0, so that even a root without CAP_SYS_RESOURCE may go lower. */
const STARTED_WITH = 300;
/** Where a supervisor gets to: -900, or 0 where only going back to 0 is allowed. */
const supervisorValue = (): number => (hasCapability(CAP_SYS_RESOURCE) ? -900 : 0);

async function tree(env: NodeJS.ProcessEnv) {
  const base = cleanup.tempDir('runsvdir-oom-');
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  const dir = makeService(svdir, 'a', { log: 'exec cat > out.txt' });
  const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env, before: `echo ${STARTED_WITH} > /proc/self/oom_score_adj` });
  const service = await waitRunning(dir);
  const log = await waitFor(() => supervisedPid(join(dir, 'log')) || undefined, 'the logger');
  // runit-ts-fdholder (it holds the log pipe's copy) is runsvdir's other child in the host mode
  const children = childrenOf(run.pid);
  const supervisors = children.filter((p) => !cmdlineOf(p.pid).startsWith('runit-ts-fdholder')).map((p) => p.pid);
  expect(supervisors).toHaveLength(1);
  return { runsvdir: run.pid, supervisor: supervisors[0]!, service, log };
}

describe('OOM protection', () => {
  it('runsvdir and the service host lower their oom_score_adj; services and loggers get the value runsvdir was started with', async () => {
    requireRoot();
    const { runsvdir, supervisor, service, log } = await tree({});
    expect(cmdlineOf(supervisor)).toMatch(/^runsvdir-host/);
    // the holder is started once the host has told runsvdir of the log pipe
    const holder = await waitFor(() => childrenOf(runsvdir).find((p) => cmdlineOf(p.pid).startsWith('runit-ts-fdholder'))?.pid, 'runit-ts-fdholder');
    expect([oomScoreAdjOf(runsvdir), oomScoreAdjOf(supervisor), oomScoreAdjOf(holder), oomScoreAdjOf(service), oomScoreAdjOf(log)]).toEqual([
      supervisorValue(),
      supervisorValue(),
      supervisorValue(),
      STARTED_WITH,
      STARTED_WITH,
    ]);
  });

  it('in the per-process mode, each runsv of ours lowers its own too', async () => {
    requireRoot();
    const { runsvdir, supervisor, service, log } = await tree({ RUNIT_TS_RUNSVDIR_MODE: 'process' });
    expect(cmdlineOf(supervisor)).toMatch(/runsv\.cjs\0a\0$/);
    expect([oomScoreAdjOf(runsvdir), oomScoreAdjOf(supervisor), oomScoreAdjOf(service), oomScoreAdjOf(log)]).toEqual([
      supervisorValue(),
      supervisorValue(),
      STARTED_WITH,
      STARTED_WITH,
    ]);
  });

  it('RUNIT_TS_OOM_SCORE_ADJ=off leaves every process with the value runsvdir was started with', async () => {
    requireRoot();
    const { runsvdir, supervisor, service, log } = await tree({ RUNIT_TS_OOM_SCORE_ADJ: 'off' });
    expect([runsvdir, supervisor, service, log].map(oomScoreAdjOf)).toEqual([STARTED_WITH, STARTED_WITH, STARTED_WITH, STARTED_WITH]);
  });
});

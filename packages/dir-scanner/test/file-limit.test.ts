// runsvdir and its service host hold their fds up to the hard limit (Node raises its soft limit as it
// starts); every process they start gets back the soft limit runsvdir was started with, handed down
// in RUNIT_TS_FILE_LIMIT as a launcher hands it.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { childrenOf, cmdlineOf } from './support/procfs.js';
import { startRunsvdir, sv, waitRunning } from './support/runsvdir-run.js';
import { makeService, supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** [soft, hard] of `Max open files` in /proc/PID/limits. */
function fileLimit(pid: number): [number, number] {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'))!;
  const [soft, hard] = line.slice('Max open files'.length).trim().split(/\s+/);
  return [Number(soft), Number(hard)];
}

describe('the limit on open files', () => {
  it('runsvdir and the host go up to the hard limit; services and loggers keep the soft limit runsvdir had', async () => {
    const base = cleanup.tempDir('runsvdir-nofile-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    const dir = makeService(svdir, 'a', { log: 'exec cat > out.txt' });
    // as a launcher does: the soft limit handed down, since Node raises its own as it starts
    const before = 'ulimit -S -n 100; ulimit -H -n 4000; RUNIT_TS_FILE_LIMIT=$(ulimit -S -n); export RUNIT_TS_FILE_LIMIT';
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], before });
    const service = await waitRunning(dir);
    const log = await waitFor(() => supervisedPid(join(dir, 'log')) || undefined, 'the logger');
    const [host] = childrenOf(run.pid).map((p) => p.pid);
    expect([run.pid, host!, service, log].map(fileLimit)).toEqual([
      [4000, 4000],
      [4000, 4000],
      [100, 4000],
      [100, 4000],
    ]);
    // the variable that handed the limit down is not the services' business
    for (const pid of [service, log]) expect(readFileSync(`/proc/${pid}/environ`, 'latin1')).not.toContain('RUNIT_TS_FILE_LIMIT');
  });

  it('a hard limit the host fills: each service it has no fds for gets a runsv process of its own, all run, sv drives them', async () => {
    const base = cleanup.tempDir('runsvdir-nofile-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    const count = 12;
    const dirs = Array.from({ length: count }, (_, i) => makeService(svdir, `svc${i}`, i % 3 === 0 ? { log: 'exec cat > out.txt' } : {}));
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], before: 'ulimit -n 32' });
    const pids = await Promise.all(dirs.map((dir) => waitRunning(dir, 30_000)));
    expect(new Set(pids).size).toBe(count);
    const children = childrenOf(run.pid).map((p) => cmdlineOf(p.pid));
    const runsvs = children.filter((cmdline) => /runsv\.cjs\0svc\d+\0$/.test(cmdline));
    expect(runsvs.length).toBeGreaterThan(0);
    expect(children.filter((cmdline) => cmdline.startsWith('runsvdir-host'))).toHaveLength(1);
    // one line for each service moved out, none repeated
    const moved = run.stderr().match(/service host: no file descriptors left for (svc\d+): starting runsv \1\n/g) ?? [];
    expect(moved).toHaveLength(runsvs.length);
    expect(run.stderr().split('\n').filter(Boolean)).toHaveLength(runsvs.length);
    for (const dir of dirs) expect(sv(['-w', '10', 'down', dir]).stdout).toMatch(/^ok: down: /);
  });
});

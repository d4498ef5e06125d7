// runsv's fork retry, ours beside the real one: a pids cgroup lets control/u run and then refuses
// the fork of ./run until the test lifts the limit. Runs commands with child_process, so no reaper here.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot, waitFor } from '@runit-ts/test-support';
import { lines, makeService, readPid, readStat } from './fixtures.js';
import { oursOnPath, realOnPath } from './commands.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const PIDS_ROOT = '/sys/fs/cgroup/pids';

/** A pids cgroup of its own (cgroup v1), removed once its tasks are gone. */
function pidsCgroup(): string {
  const path = join(PIDS_ROOT, `runit-ts-fork-retry-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path);
  cleanup.add(async () => {
    writeFileSync(join(path, 'pids.max'), 'max');
    await waitFor(() => readFileSync(join(path, 'cgroup.procs'), 'utf8') === '', 'the cgroup to empty', 20_000);
    rmdirSync(path);
  });
  return path;
}

describe('a fork that fails', () => {
  it.each(['real', 'ours'] as const)('%s runsv: control/u once, "unable to fork, sleeping", down meanwhile, then ./run', async (impl) => {
    requireRoot();
    const root = cleanup.tempDir();
    const cgroup = pidsCgroup();
    const marks = join(root, 'marks');
    // control/u leaves no room for one more task: it is itself the one task too many, and exits
    const dir = makeService(root, 'svc', {
      control: { u: `echo u >>${marks}\nread n <${cgroup}/pids.current\necho $((n - 1)) >${cgroup}/pids.max` },
    });
    const outPath = join(root, 'out');
    const fd = openSync(outPath, 'a');
    const PATH = `${impl === 'real' ? realOnPath(cleanup) : oursOnPath(cleanup)}:/usr/bin:/bin`;
    // into the cgroup before runsv exists, so that every task it makes counts
    const script = `echo $$ >${cgroup}/cgroup.procs && exec runsv svc`;
    const runsv = spawn('/bin/sh', ['-c', script], { cwd: root, env: { PATH }, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    cleanup.killLater(runsv.pid!, true);
    await waitFor(() => lines(outPath).length > 0, 'the fork warning', 20_000);
    expect(lines(outPath)[0]).toBe('runsv svc: warning: unable to fork, sleeping: temporary failure');
    expect(readStat(dir)).toBe('down');
    expect(readFileSync(join(dir, 'supervise/pid'), 'utf8')).toBe('');
    writeFileSync(join(cgroup, 'pids.max'), 'max');
    const pid = await waitFor(() => readStat(dir) === 'run' && readPid(dir), './run after the retry', 20_000);
    await waitFor(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\u00001000\u0000', './run exec\'d its program');
    expect(lines(marks)).toEqual(['u']); // the retry is of the fork only
    expect([...new Set(lines(outPath))]).toEqual(['runsv svc: warning: unable to fork, sleeping: temporary failure']);
  });
});

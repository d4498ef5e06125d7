// File descriptors in a host of many supervisors: what one supervisor holds, and a supervisor set up
// when the table is nearly full waits (one warning a second) instead of taking its neighbours' last
// fds, then starts once fds return. Uses the reaper, so no child_process here.
import { closeSync, openSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getrlimit, setrlimit } from '@runit-ts/native';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { makeService, readPid, readStat } from './fixtures.js';
import { supervise, supervisor } from './supervise.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('file descriptors', () => {
  it('a supervisor holds 4 fds, 9 with a log (one per FIFO, opened for reading and writing)', async () => {
    const root = cleanup.tempDir();
    const plain = makeService(root, 'plain', {});
    const logged = makeService(root, 'logged', { log: 'exec cat > /dev/null' });
    // the output file supervise() opens for the children is counted apart
    const before = openFds();
    await supervise(cleanup, plain);
    await waitFor(() => readStat(plain) === 'run' && readPid(plain), 'plain running');
    expect(openFds() - before).toBe(4 + 1);
    const middle = openFds();
    await supervise(cleanup, logged);
    await waitFor(() => readStat(logged, true) === 'run' && readPid(logged, true), 'the log running');
    expect(openFds() - middle).toBe(9 + 1);
  });

  it('waitForFds: with too few fds left, waits with a warning each second, and starts once fds return', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', {});
    const limit = getrlimit('NOFILE');
    cleanup.add(() => setrlimit('NOFILE', limit));
    // room for the children's output file and a few more, then fill the table to the top
    setrlimit('NOFILE', { soft: openFds() + 16, hard: limit.hard });
    const filler: number[] = [];
    cleanup.add(() => filler.splice(0).forEach((fd) => closeSync(fd)));
    const { sup, diagnostics } = supervisor(cleanup, dir, { waitForFds: true });
    try {
      for (;;) filler.push(openSync('/dev/null', 'r'));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('EMFILE');
    }
    // three fds free: fewer than a supervisor needs with some left over
    filler.splice(0, 3).forEach((fd) => closeSync(fd));
    void sup.start();
    await waitFor(() => diagnostics.length >= 2, 'two tries', 5000);
    expect(new Set(diagnostics)).toEqual(new Set(['warning: waiting a second for file descriptors: process cannot open more files']));
    expect(readStat(dir)).toBeUndefined();
    filler.splice(0).forEach((fd) => closeSync(fd));
    await waitFor(() => readStat(dir) === 'run' && readPid(dir), 'running once fds returned', 5000);
  });
});

// The reaper: every child's exit reaches its owner, orphans are counted, nothing is lost.
import { describe, expect, it } from 'vitest';
import { reaper, setChildSubreaper, spawn, type ExitStatus } from '../lib/index.js';
import { waitFor } from './helpers.js';

reaper.start();

describe('reaper', () => {
  it('hands 300 concurrent exits to their owners, none lost', async () => {
    const seen = new Map<number, ExitStatus>();
    const pids: number[] = [];
    for (let i = 0; i < 300; i++) {
      const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', `exit ${i % 7}`] });
      pids.push(pid);
      reaper.watch(pid, (exit) => seen.set(exit.pid, exit));
    }
    await waitFor(() => seen.size === 300, 20_000);
    pids.forEach((pid, i) => expect(seen.get(pid)!.code).toBe(i % 7));
    expect(reaper.watched).toBe(0);
  });

  it('reaps orphans re-parented to a subreaper and reports them', async () => {
    setChildSubreaper(true);
    const orphans: number[] = [];
    reaper.onOrphan((exit) => orphans.push(exit.pid));
    const before = reaper.orphans;
    const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'for i in 1 2 3 4 5; do sleep 0.2 & done; exit 0'] });
    let parentDone = false;
    reaper.watch(pid, () => (parentDone = true));
    await waitFor(() => parentDone && orphans.length === 5, 10_000);
    expect(reaper.orphans - before).toBe(5);
    setChildSubreaper(false);
    reaper.onOrphan(undefined);
  });

  it('keeps reaping when an owner throws', async () => {
    const results: number[] = [];
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      const a = spawn({ file: '/bin/true' });
      const b = spawn({ file: '/bin/true' });
      reaper.watch(a, () => {
        throw new Error('owner failed');
      });
      reaper.watch(b, (exit) => results.push(exit.pid));
      await waitFor(() => results.length === 1 && errors.length === 1);
      expect(results).toEqual([b]);
      expect((errors[0] as Error).message).toBe('owner failed');
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});

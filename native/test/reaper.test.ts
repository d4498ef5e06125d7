// The reaper: every child's exit reaches its owner, orphans are counted, nothing is lost.
import { closeSync, readSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pipe, reaper, spawn, type ExitStatus } from '../lib/index.js';
import { distIndex, requireRoot, waitFor } from './helpers.js';

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

  it('reaps the orphans that come to PID 1 and reports them (root: a PID namespace)', async () => {
    requireRoot();
    // A Node PID 1 (unshare's child) starts a shell that leaves five children behind: they come to it.
    const script = `import * as n from ${JSON.stringify(distIndex)};
      n.reaper.start();
      setTimeout(() => process.exit(2), 20000); // keeps the loop alive (a signal listener does not) until done
      let shellDone = false;
      const orphans = [];
      const check = () => {
        if (!shellDone || orphans.length < 5) return;
        console.log(JSON.stringify({ pid: process.pid, orphans: n.reaper.orphans, watched: n.reaper.watched }));
        process.exit(0);
      };
      n.reaper.onOrphan((exit) => { orphans.push(exit.pid); check(); });
      const pid = n.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'for i in 1 2 3 4 5; do sleep 0.2 & done; exit 0'] });
      n.reaper.watch(pid, () => { shellDone = true; check(); });`;
    const [r, w] = pipe();
    const pid = spawn({
      file: 'unshare',
      search: true,
      argv: ['unshare', '--pid', '--fork', '--kill-child', process.execPath, '--input-type=module', '-e', script],
      fds: [0, w, 2],
    });
    closeSync(w);
    const exit = await new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve));
    const buf = Buffer.alloc(4096);
    const text = buf.subarray(0, readSync(r, buf)).toString();
    closeSync(r);
    expect(exit.code).toBe(0);
    expect(text).toBe('{"pid":1,"orphans":5,"watched":0}\n');
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

// The reaper: every child's exit reaches its owner, orphans are counted, nothing is lost.
import { closeSync, existsSync, readFileSync, readSync } from 'node:fs';
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

  it('keeps an exited child unreaped when its inspector says so, reaps the others by pid meanwhile, and releases it', async () => {
    const kept = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'exit 3'] });
    const inspected: ExitStatus[] = [];
    let delivered: ExitStatus | undefined;
    reaper.watch(kept, (exit) => (delivered = exit), (exit) => {
      inspected.push(exit);
      return 'keep';
    });
    await waitFor(() => inspected.length === 1);
    expect(inspected[0]).toMatchObject({ pid: kept, code: 3 });
    expect(readFileSync(`/proc/${kept}/stat`, 'utf8')).toMatch(/^\d+ \(sh\) Z /); // a zombie: the pid stays taken
    // other children, watched or not, are still reaped while one is kept
    const other = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'exit 4'] });
    const otherExit = new Promise<ExitStatus>((resolve) => reaper.watch(other, resolve));
    const dropped = spawn({ file: '/bin/true' });
    reaper.watch(dropped, () => undefined);
    reaper.unwatch(dropped);
    expect((await otherExit).code).toBe(4);
    await waitFor(() => !existsSync(`/proc/${dropped}`));
    expect(delivered).toBeUndefined();
    reaper.release(kept);
    await waitFor(() => delivered !== undefined);
    expect(delivered).toMatchObject({ pid: kept, code: 3 });
    expect(existsSync(`/proc/${kept}`)).toBe(false);
  });

  it('reaps a child whose inspector says reap, as any other', async () => {
    const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'exit 5'] });
    const exit = await new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve, () => 'reap'));
    expect(exit.code).toBe(5);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('shows every inspected child its exit before reaping it, when many exit at once', async () => {
    // 200 children blocked reading one pipe go when its write end closes and exit over the next 50 ms:
    // some exit while a reap is under way, after their peek and before the wait by pid, which must not
    // take them
    const [readEnd, writeEnd] = pipe();
    const inspected = new Set<number>();
    const delivered = new Set<number>();
    const pids: number[] = [];
    for (let i = 0; i < 200; i++) {
      const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', `read x; exec sleep 0.0${i % 50 < 10 ? '0' : ''}${i % 50}`], fds: [readEnd, 1, 2] });
      pids.push(pid);
      reaper.watch(pid, (exit) => delivered.add(exit.pid), (exit) => {
        inspected.add(exit.pid);
        return 'reap';
      });
    }
    closeSync(readEnd);
    closeSync(writeEnd);
    await waitFor(() => delivered.size === 200, 20_000);
    expect(pids.filter((pid) => !inspected.has(pid))).toEqual([]);
  });
});

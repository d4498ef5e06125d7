import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup } from '@runit-ts/test-support';
import { parsePings, PingFifo, pingLine } from '../src/ping-fifo.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('parsePings', () => {
  it('splits NAME PID lines, keeps a partial last line, drops garbage', () => {
    expect(parsePings('a 12\nb 345\nc 6')).toEqual({ pings: [{ name: 'a', pid: 12 }, { name: 'b', pid: 345 }], rest: 'c 6' });
    expect(parsePings('junk\n\nx y\nd 7\n')).toEqual({ pings: [{ name: 'd', pid: 7 }], rest: '' });
  });
});

describe('PingFifo', () => {
  function open(): PingFifo {
    const fifo = new PingFifo(join(cleanup.tempDir('bench-ping-'), 'ping'));
    cleanup.add(() => fifo.close());
    return fifo;
  }

  it('is a FIFO that a run script\'s ping line writes NAME and its pid to', async () => {
    const fifo = open();
    expect(statSync(fifo.path).isFIFO()).toBe(true);
    const since = performance.now();
    const child = spawn('sh', ['-c', pingLine(fifo.path, 'svc')]);
    const ping = await fifo.next('svc', since, 30_000);
    expect(ping.pid).toBe(child.pid);
    expect(ping.at).toBeGreaterThanOrEqual(since);
  });

  it('waits for a ping after a given time, and for all of several names', async () => {
    const fifo = open();
    const t0 = performance.now();
    execFileSync('sh', ['-c', `${pingLine(fifo.path, 'a')}; ${pingLine(fifo.path, 'b')}`]);
    const first = await fifo.next('a', t0, 30_000);
    const later = performance.now();
    const next = fifo.next('a', later, 30_000);
    execFileSync('sh', ['-c', pingLine(fifo.path, 'a')]);
    expect((await next).at).toBeGreaterThan(first.at);
    const both = await fifo.all(['a', 'b'], t0, 30_000);
    expect([...both.keys()].sort()).toEqual(['a', 'b']);
    expect(both.get('a')).toEqual(first);
  });

  it('times out with the FIFO named, and forgets what it received', async () => {
    const fifo = open();
    await expect(fifo.next('nobody', 0, 50)).rejects.toThrow(`timed out after 50 ms waiting for a ping from nobody on ${fifo.path}`);
    execFileSync('sh', ['-c', pingLine(fifo.path, 'a')]);
    await fifo.next('a', 0, 30_000);
    fifo.forget();
    await expect(fifo.next('a', 0, 50)).rejects.toThrow('timed out');
  });
});

// Nothing lost, nothing twice: SIGHUP and SIGALRM after every chunk of lines streamed in, while a
// processor runs on every rotated file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLogDir, ourCommand, readLogDir, RunningSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const line = (i: number): string => `line ${String(i).padStart(7, '0')} ${'x'.repeat(i % 90)}\n`;

describe('a storm of SIGHUP and SIGALRM', () => {
  it('keeps every line exactly once and in order, through rotations and processors', async () => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-storm-'), 'log', 's5000\nn0\n!cat\n');
    const svlogd = new RunningSvlogd(ourCommand(), [dir], cleanup);
    // Signals before svlogd has installed its handlers would kill it: wait until it has opened the dir.
    await waitFor(() => existsSync(join(dir, 'current')), 'svlogd to open its dir');
    svlogd.write(line(0));
    await waitFor(() => readLogDir(dir).current.length > 0, 'the first line');
    // A signal after every chunk (not on a timer): 200 of them however fast or slow the machine is,
    // each landing wherever svlogd happens to be in its work.
    let signals = 0;
    const total = 20_000;
    for (let i = 1; i < total; i += 100) {
      const chunk = Array.from({ length: Math.min(100, total - i) }, (_, k) => line(i + k)).join('');
      const accepted = svlogd.write(chunk);
      svlogd.signal(signals++ % 2 === 0 ? 'SIGHUP' : 'SIGALRM');
      if (!accepted) await new Promise((resolve) => svlogd.child.stdin!.once('drain', resolve));
    }
    const finished = await svlogd.end();
    expect(finished).toMatchObject({ code: 0, stderr: '' });
    const contents = readLogDir(dir);
    expect(contents.types.every((type) => type === 's')).toBe(true);
    const text = Buffer.concat([...contents.old.map((name) => readFileSync(join(dir, name))), contents.current]).toString();
    const lines = text.split('\n').slice(0, -1);
    expect(lines.length).toBe(total);
    lines.forEach((got, i) => {
      if (`${got}\n` !== line(i)) expect({ i, got }).toEqual({ i, got: line(i).slice(0, -1) });
    });
  }, 120_000);
});

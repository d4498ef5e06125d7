// Memory stays flat: svlogd's resident size after ten times more input is about the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLogDir, ourCommand, RunningSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

describe('memory', () => {
  it('stays flat from 100,000 to 1,000,000 lines of 100 bytes with -tt and rotation', async () => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-memory-'), 'log', 's1000000\nn3\n');
    const svlogd = new RunningSvlogd(ourCommand(), ['-tt', dir], cleanup);
    const line = Buffer.alloc(100, 0x61);
    line[99] = 10;
    const block = Buffer.concat(Array.from({ length: 1000 }, () => line));
    let sent = 0;
    const feed = async (lines: number): Promise<void> => {
      for (let i = 0; i < lines / 1000; i++) {
        if (!svlogd.write(block)) await new Promise((resolve) => svlogd.child.stdin!.once('drain', resolve));
      }
      sent += lines;
      const marker = `end of ${sent}\n`;
      svlogd.write(marker);
      await waitFor(() => textOnceCreated(join(dir, 'current'), 'latin1').endsWith(marker), `svlogd to write ${sent} lines`, 60_000);
    };
    await feed(100_000);
    const after100k = memoryOf(svlogd.pid);
    await feed(900_000);
    const after1m = memoryOf(svlogd.pid);
    expect(await svlogd.end()).toMatchObject({ code: 0, stderr: '' });
    expect(after1m.rss).toBeLessThan(after100k.rss * 1.25);
    expect(after1m.peak).toBeLessThan(after100k.peak * 1.25);
  }, 120_000);
});

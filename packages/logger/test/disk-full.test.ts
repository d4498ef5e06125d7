// A full disk, for real, on a small tmpfs: with N < n the oldest files go and logging goes on; with
// N >= n svlogd pauses, holds the writer back through the pipe, and resumes by itself, losing nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, requireRoot, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { linesOf, makeLogDir, numberedLines, ourCommand, readLogDir, RunningSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A tmpfs of `size` at a fresh dir, unmounted at cleanup. */
function smallDisk(size: string): string {
  requireRoot('mounting a tmpfs');
  const mountPoint = join(cleanup.tempDir('svlogd-disk-'), 'mnt');
  mkdirSync(mountPoint);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', mountPoint]);
  cleanup.add(() => {
    execFileSync('umount', ['-l', mountPoint]);
  });
  return mountPoint;
}

/** The numbers of numbered lines ("000000042 xxx"), checking each line is whole. */
function lineNumbers(bytes: Buffer, width: number): number[] {
  return linesOf(bytes).map((line) => {
    expect(line).toHaveLength(width - 1);
    return Number(line.slice(0, 9));
  });
}

describe('full disk (tmpfs, root)', () => {
  it('with N < n deletes the oldest old file and goes on: the newest lines all survive, in order', async () => {
    const dir = makeLogDir(smallDisk('256k'), 'log', 's20000\nn50\nN2\n');
    const input = numberedLines(8000, 100);
    const svlogd = new RunningSvlogd(ourCommand(), [dir], cleanup);
    const finished = await svlogd.end(input);
    expect(finished.code).toBe(0);
    const deletions = finished.stderr.split('\n').filter((line) => line !== '');
    expect(deletions.length).toBeGreaterThan(0);
    for (const line of deletions) expect(line).toMatch(new RegExp(`^svlogd: warning: out of disk space, delete: ${dir}/@[0-9a-f]{24}\\.s$`));
    const contents = readLogDir(dir);
    expect(contents.old.length).toBeGreaterThanOrEqual(2);
    const numbers = lineNumbers(contents.all, 100);
    // What is left is every line from some point to the last one, none missing, none twice.
    const first = numbers[0]!;
    expect(numbers).toEqual(Array.from({ length: 8000 - first }, (_, i) => first + i));
    expect(first).toBeGreaterThan(0);
  }, 60_000);

  it('with N >= n pauses, holds the writer back, and resumes by itself when space returns', async () => {
    const mountPoint = smallDisk('64k');
    const dir = makeLogDir(mountPoint, 'log');
    const total = 3000;
    const svlogd = new RunningSvlogd(ourCommand(), [dir], cleanup);
    svlogd.write(numberedLines(total, 100));
    await svlogd.waitForStderr(`svlogd: pausing: unable to write to current: ${dir}: out of disk space\n`);
    // Not reading any more: the pipe is full and the rest of the input waits in this process.
    await waitFor(() => svlogd.child.stdin!.writableLength > 0, 'the writer to be held back');
    // svlogd has at most the disk's 64 kB, one read of 64 kB held in memory, and the pipe's 64 kB.
    expect(svlogd.child.stdin!.writableLength).toBeGreaterThan(total * 100 - 4 * 65536);
    execFileSync('mount', ['-o', 'remount,size=2m', mountPoint]);
    await waitFor(() => svlogd.child.stdin!.writableLength === 0, 'the writer to be let go', 20_000);
    const finished = await svlogd.end();
    expect(finished.code).toBe(0);
    expect(finished.stderr.split('\n').filter((line) => line !== '').every((line) => line.includes('pausing: unable to write to current'))).toBe(true);
    const numbers = lineNumbers(readLogDir(dir).all, 100);
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i));
  }, 60_000);
});

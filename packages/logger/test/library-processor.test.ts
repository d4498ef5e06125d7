// The library with a processor, in-process (spawned through the addon, reaped by its reaper: this
// file uses no child_process): a rotation waits for the processor, write() says so, drain follows.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { LogDirWriter } from '../src/index.js';
import { makeLogDir, readLogDir } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function open(dir: string): { w: LogDirWriter; reports: string[] } {
  const reports: string[] = [];
  // lineMax 5: with s small, a rotation follows every line that ends within 5 bytes of s.
  const w = new LogDirWriter(dir, { report: (line) => reports.push(line), lineMax: 5 });
  cleanup.add(() => w.close());
  expect(w.open()).toBe(true);
  return { w, reports };
}

/** Shell for a processor that waits while the file `hold` exists in its working directory, the log dir. */
const HELD = 'while test -e hold; do sleep 0.05; done';

/**
 * Makes processors of dir wait (HELD) until release() is called. Call it after open(): cleanup runs
 * last-in first-out, and the release must come before the writer's close(), which waits for them.
 */
function holdProcessors(dir: string): () => void {
  const hold = join(dir, 'hold');
  writeFileSync(hold, '');
  const release = () => rmSync(hold, { force: true });
  cleanup.add(release);
  return release;
}

const processed = (dir: string): string =>
  readLogDir(dir)
    .old.filter((name) => name.endsWith('s'))
    .map((name) => readFileSync(join(dir, name), 'latin1'))
    .join('');

describe('LogDirWriter with a processor', () => {
  it('holds output while a rotation waits for the processor, then drains it in order', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-processor-'), 'log', `s9\n!${HELD}; tr a-z A-Z\n`);
    const { w } = open(dir);
    const release = holdProcessors(dir);
    let drains = 0;
    w.on('drain', () => drains++);
    // A rotation holds output until current is fsynced (off the event loop): the writer is told to wait.
    expect(w.write(Buffer.from('line one\n'))).toBe(false);
    await waitFor(() => drains === 1, 'drain after the first rotation');
    expect(readLogDir(dir).types).toContain('u');
    // The next rotation must wait for the processor, which the hold file keeps running.
    expect(w.write(Buffer.from('line two\nthird\n'))).toBe(false);
    expect(w.blocked).toBe(true);
    await waitFor(() => readLogDir(dir).current.toString() === 'line two\n', 'line two in current');
    expect(w.blocked).toBe(true);
    release();
    await waitFor(() => drains === 2, 'drain');
    expect(w.blocked).toBe(false);
    await w.close();
    // "third\n" ends within lineMax of s too: a third rotation.
    expect(processed(dir)).toBe('LINE ONE\nLINE TWO\nTHIRD\n');
    expect(readLogDir(dir).current.toString()).toBe('');
    expect(existsSync(join(dir, 'state'))).toBe(true);
  });

  it('close() waits for a running processor and finishes its file', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-processor-'), 'log', `s11\n!${HELD}; cat; echo done >&5\n`);
    const { w } = open(dir);
    const release = holdProcessors(dir);
    w.write(Buffer.from('0123456789\n'));
    await w.idle();
    // The processor runs: the rotated .u, and the .t it writes to.
    expect(readLogDir(dir).types).toEqual(['t', 'u']);
    // close() is asked while the processor is still held; only then is it let go.
    const closing = w.close();
    release();
    await closing;
    expect(readLogDir(dir).types).toEqual(['s']);
    expect(processed(dir)).toBe('0123456789\n');
    expect(readFileSync(join(dir, 'state'), 'utf8')).toBe('done\n');
  });

  it('restarts a failing processor with runit\'s warning until it succeeds', async () => {
    // The processor fails twice (a count kept in the log dir, its working directory), then succeeds.
    const dir = makeLogDir(cleanup.tempDir('logger-processor-'), 'log', 's11\n!n=$(cat count 2>/dev/null); echo "x$n" >count; test "$n" = xx && cat\n');
    const { w, reports } = open(dir);
    w.write(Buffer.from('0123456789\n'));
    await w.close();
    expect(reports).toEqual([`svlogd: warning: processor failed, restart: ${dir}\n`, `svlogd: warning: processor failed, restart: ${dir}\n`]);
    expect(processed(dir)).toBe('0123456789\n');
  });

  it('finishes a processor that was running when the dir was reloaded (runit forgets it)', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-processor-'), 'log', `s11\n!${HELD}; cat\n`);
    const { w } = open(dir);
    const release = holdProcessors(dir);
    w.write(Buffer.from('0123456789\n'));
    await w.idle();
    expect(readLogDir(dir).types).toEqual(['t', 'u']);
    expect(await w.reload()).toBe(true);
    expect(readLogDir(dir).types).toEqual(['t', 'u']);
    release();
    await waitFor(() => readLogDir(dir).types.join('') === 's', 'the processed file', 10_000);
    expect(processed(dir)).toBe('0123456789\n');
  });
});

// SIGALRM, SIGHUP, the `t` timer and SIGTERM, ours and the real svlogd; and where ours keeps data
// that runit drops (an unterminated last line, the line finished after SIGTERM).
import { closeSync, constants, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isNonBlocking, mkfifo } from '@runit-ts/native';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS, makeLogDir, modeOf, ourCommand, readLogDir, reference, RunningSvlogd, runSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const currentIs = (dir: string, text: string) => () => readLogDir(dir).current.toString() === text;

describe.each(IMPLEMENTATIONS)('signals ($name)', ({ command }) => {
  it('SIGALRM rotates a non-empty current, and does nothing to an empty one', async () => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-alrm-'), 'log');
    const svlogd = new RunningSvlogd(command(), ['-v', dir], cleanup);
    svlogd.write('one\n');
    await waitFor(currentIs(dir, 'one\n'), 'one in current');
    svlogd.signal('SIGALRM');
    await waitFor(() => readLogDir(dir).old.length === 1 && readLogDir(dir).current.length === 0, 'a rotation');
    svlogd.signal('SIGALRM');
    await svlogd.waitForStderr(/sigalarm received\.\n[^]*sigalarm received\./, 'the second SIGALRM');
    svlogd.write('two\n');
    await waitFor(currentIs(dir, 'two\n'), 'two in current');
    expect(await svlogd.end()).toMatchObject({ code: 0 });
    const contents = readLogDir(dir);
    expect(contents.types).toEqual(['s']);
    expect(contents.all.toString()).toBe('one\ntwo\n');
    expect(modeOf(join(dir, contents.old[0]!))).toBe(0o744);
  });

  it('SIGHUP closes current cleanly and reopens with the changed config', async () => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-hup-'), 'log');
    const svlogd = new RunningSvlogd(command(), ['-v', dir], cleanup);
    svlogd.write('before\n');
    await waitFor(currentIs(dir, 'before\n'), 'before in current');
    writeFileSync(join(dir, 'config'), 'pnew: \ns20\n-*skip*\n');
    svlogd.signal('SIGHUP');
    await svlogd.waitForStderr('read: ');
    svlogd.write('after the change\nskip me\nlast\n');
    await waitFor(() => readLogDir(dir).all.toString().endsWith('new: last\n'), 'the lines after SIGHUP');
    expect(await svlogd.end()).toMatchObject({ code: 0 });
    const contents = readLogDir(dir);
    expect(contents.all.toString()).toBe('before\nnew: after the change\nnew: last\n');
    // s20 took effect: "before" + the long line went over 20 bytes and rotated.
    expect(contents.old.length).toBeGreaterThan(0);
    const lines = svlogd.stderr.split('\n');
    expect(lines.filter((line) => line.includes('close: '))).toHaveLength(2);
    expect(lines.filter((line) => line.includes('read: '))).toHaveLength(1);
  });

  it('t rotates after the timeout, then again after the next one', async () => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-t-'), 'log', 't1\n');
    const svlogd = new RunningSvlogd(command(), [dir], cleanup);
    svlogd.write('first\n');
    await waitFor(() => readLogDir(dir).old.length === 1, 'the first timed rotation');
    svlogd.write('second\n');
    await waitFor(() => readLogDir(dir).old.length === 2, 'the second timed rotation');
    expect(await svlogd.end()).toMatchObject({ code: 0 });
    const contents = readLogDir(dir);
    expect(contents.current.length).toBe(0);
    expect(contents.all.toString()).toBe('first\nsecond\n');
  });

  it('SIGTERM between lines ends at once with exit 0', async () => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-term-'), 'log');
    const svlogd = new RunningSvlogd(command(), [dir], cleanup);
    svlogd.write('whole\n');
    await waitFor(currentIs(dir, 'whole\n'), 'the line in current');
    svlogd.signal('SIGTERM');
    expect(await svlogd.exited).toMatchObject({ code: 0, signal: null });
    expect(modeOf(join(dir, 'current'))).toBe(0o744);
  });

  it('writes a long line in full, with its newline, when input ends inside it', async () => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-eof-'), 'log');
    const long = 'x'.repeat(2500);
    expect(await runSvlogd(command(), [dir], `a\n${long}`, cleanup)).toMatchObject({ code: 0 });
    expect(readLogDir(dir).current.toString()).toBe(`a\n${long}\n`);
  });
});

describe('where ours keeps what runit drops', () => {
  it('writes an unterminated last line at end of input (runit drops it)', async () => {
    const tmp = cleanup.tempDir('svlogd-eof-');
    const ours = makeLogDir(tmp, 'ours');
    const ref = makeLogDir(tmp, 'ref');
    await runSvlogd(ourCommand(), ['-tt', ours], 'a\nunterminated', cleanup);
    await runSvlogd(reference(), [ref], 'a\nunterminated', cleanup);
    expect(readLogDir(ours).current.toString()).toMatch(/^\S+ a\n\S+ unterminated\n$/);
    expect(readLogDir(ref).current.toString()).toBe('a\n');
  });

  it('writes the line finished after SIGTERM and reads nothing past it (runit drops the line)', async () => {
    const tmp = cleanup.tempDir('svlogd-term-');
    const results: Array<{ current: string; left: string; nonBlocking: boolean }> = [];
    for (const [name, command] of [
      ['ours', ourCommand()],
      ['ref', reference()],
    ] as const) {
      const dir = makeLogDir(tmp, name);
      // A FIFO that this test can both write and read: what svlogd leaves in it can be read back.
      const fifo = join(tmp, `${name}.fifo`);
      mkfifo(fifo);
      const both = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
      const input = openSync(fifo, constants.O_RDONLY);
      cleanup.add(() => [both, input].forEach((fd) => closeSync(fd)));
      const svlogd = new RunningSvlogd(command, ['-v', dir], cleanup, { stdin: input });
      writeSync(both, 'complete\npartial');
      await waitFor(currentIs(dir, 'complete\n'), 'the complete line');
      svlogd.signal('SIGTERM');
      await svlogd.waitForStderr('sigterm received.');
      writeSync(both, ' rest\nnot read\n');
      expect(await svlogd.exited).toMatchObject({ code: 0 });
      const left = Buffer.alloc(100);
      results.push({
        current: readLogDir(dir).current.toString(),
        left: left.toString('latin1', 0, readSync(both, left)),
        nonBlocking: isNonBlocking(input),
      });
    }
    expect(results).toEqual([
      { current: 'complete\npartial rest\n', left: 'not read\n', nonBlocking: false },
      // runit drops the line, and leaves the pipe non-blocking for the next reader.
      { current: 'complete\n', left: 'not read\n', nonBlocking: true },
    ]);
  });
});

// The library in-process: LogDirWriter and Logger write what svlogd writes, whatever the chunking,
// with options checked, rotate/reload/close, and backpressure on a full disk (tmpfs, root).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Cleanup, requireRoot, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger, LogDirWriter, type LoggerOptions } from '../src/index.js';
import { makeLogDir, modeOf, numberedLines, randomInput, readLogDir } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function writer(dir: string, options: LoggerOptions = {}): LogDirWriter {
  const reports: string[] = [];
  const w = new LogDirWriter(dir, { report: (line) => reports.push(line), ...options });
  cleanup.add(() => w.close());
  return w;
}

/** Opens, feeds `input` in pieces cut at `cuts` (offsets), then closes. */
async function feed(w: LogDirWriter, input: Buffer, cuts: number[]): Promise<void> {
  expect(w.open()).toBe(true);
  let at = 0;
  for (const cut of [...cuts.sort((a, b) => a - b), input.length]) {
    if (cut > at) w.write(input.subarray(at, cut));
    at = Math.max(at, cut);
  }
  await w.close();
}

describe('LogDirWriter', () => {
  it('writes the same files whatever the chunking, long lines and rotation included', async () => {
    const tmp = cleanup.tempDir('logger-chunks-');
    const input = randomInput(11, 120, 2500);
    const config = 's3000\nn0\n';
    const whole = makeLogDir(tmp, 'whole', config);
    await feed(writer(whole), input, []);
    const expected = readLogDir(whole);
    expect(expected.all.equals(input)).toBe(true);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(input.length), { maxLength: 40 }), async (cuts) => {
        const dir = makeLogDir(tmp, `run${run++}`, config);
        await feed(writer(dir), input, cuts);
        const got = readLogDir(dir);
        expect(got.types).toEqual(expected.types);
        expect(got.old.map((name) => readFileSync(join(dir, name)).length)).toEqual(
          expected.old.map((name) => readFileSync(join(whole, name)).length),
        );
        expect(got.all.equals(input)).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('writes an unterminated last line with a newline at close, and leaves current 0744', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-close-'), 'log');
    const w = writer(dir, { timestamp: 'none' });
    expect(w.open()).toBe(true);
    expect(w.write(Buffer.from('one\ntw'))).toBe(true);
    expect(w.write(new Uint8Array([0x6f]))).toBe(true);
    expect(modeOf(join(dir, 'current'))).toBe(0o644);
    await w.close();
    expect(readFileSync(join(dir, 'current'), 'utf8')).toBe('one\ntwo\n');
    expect(modeOf(join(dir, 'current'))).toBe(0o744);
    expect(w.isOpen).toBe(false);
  });

  it('rotate() rotates a non-empty current, reload() reads the changed config', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-reload-'), 'log');
    const w = writer(dir);
    expect(w.open()).toBe(true);
    w.rotate();
    await w.idle();
    expect(readLogDir(dir).old).toEqual([]);
    w.write(Buffer.from('first\n'));
    w.rotate();
    expect(w.blocked).toBe(true);
    await w.idle();
    expect(readLogDir(dir).types).toEqual(['s']);
    writeFileSync(join(dir, 'config'), 'pnew \n');
    expect(await w.reload()).toBe(true);
    expect(w.configInForce.prefix).toEqual(new Uint8Array(Buffer.from('new ')));
    w.write(Buffer.from('second\n'));
    await w.close();
    expect(readLogDir(dir).all.toString()).toBe('first\nnew second\n');
  });

  it('reports a dir it cannot lock, and a missing dir, and stays closed', () => {
    const tmp = cleanup.tempDir('logger-lock-');
    const dir = makeLogDir(tmp, 'log');
    expect(writer(dir).open()).toBe(true);
    const reports: string[] = [];
    const second = new LogDirWriter(dir, { report: (line) => reports.push(line) });
    expect(second.open()).toBe(false);
    expect(new LogDirWriter(join(tmp, 'missing'), { report: (line) => reports.push(line) }).open()).toBe(false);
    expect(reports).toEqual([
      `svlogd: warning: unable to lock directory: ${dir}: temporary failure\n`,
      `svlogd: warning: unable to open log directory: ${join(tmp, 'missing')}: file does not exist\n`,
    ]);
    expect(() => second.write(Buffer.from('x\n'))).toThrow(/is not open/);
  });

  it('counts .u files when pruning, as runit 2.1.2-2.3.0 do (Debian\'s svlogd does not)', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-prune-'), 'log', 's10\nn2\n');
    writeFileSync(join(dir, '@400000000000000000000001.u'), 'unprocessed\n');
    const w = writer(dir);
    expect(w.open()).toBe(true);
    w.write(Buffer.from('0123456789\n'));
    await w.idle();
    expect(readLogDir(dir).types).toEqual(['u', 's']);
    w.write(Buffer.from('0123456789\n'));
    await w.idle();
    expect(readLogDir(dir).types).toEqual(['s', 's']);
    await w.close();
  });

  it('copies e-selected lines and reports through the callbacks given', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-copies-'), 'log', 'e*!*\n');
    const copies: string[] = [];
    const w = writer(dir, { stderrCopy: (bytes) => copies.push(Buffer.from(bytes).toString()), lineMax: 5 });
    w.open();
    w.write(Buffer.from('plain\nalarm!\nwarn!\n'));
    await w.close();
    expect(copies.join('')).toBe('warn!...\n');
    expect(readLogDir(dir).current.toString()).toBe('plain\nalarm!\nwarn!\n');
  });

  it('checks its options once, naming the option, the value and its type', () => {
    const cases: Array<[LoggerOptions, string]> = [
      [{ lineMax: 0 }, 'option "lineMax" must be a positive integer, got 0 (number)'],
      [{ lineMax: 1.5 }, 'option "lineMax" must be a positive integer, got 1.5 (number)'],
      [{ timestamp: 'utc' as never }, 'option "timestamp" must be one of none, tai64n, datetime, iso8601, got "utc" (string)'],
      [{ replaceWith: 'ab' }, 'option "replaceWith" must be one ASCII character, or one byte as textOfBytes keeps it, got "ab" (string)'],
      [{ pauseMs: -1 }, 'option "pauseMs" must be a non-negative integer, got -1 (number)'],
      [{ report: 'x' as never }, 'option "report" must be a function, got "x" (string)'],
    ];
    for (const [options, message] of cases) expect(() => new LogDirWriter('/tmp/x', options)).toThrow(new TypeError(message));
    expect(() => new Logger([])).toThrow(TypeError);
  });
});

describe('Logger', () => {
  it('writes one input to several dirs, each with its own config, stamped once per chunk', async () => {
    const tmp = cleanup.tempDir('logger-multi-');
    const a = makeLogDir(tmp, 'a', 'pA \n');
    const b = makeLogDir(tmp, 'b', '-*\n+keep*\n');
    const reports: string[] = [];
    const logger = new Logger([a, b, join(tmp, 'missing')], { timestamp: 'tai64n', report: (line) => reports.push(line) });
    expect(logger.open()).toBe(2);
    expect(logger.lineComplete).toBe(true);
    logger.write(Buffer.from('keep one\ndrop\nkeep two'));
    expect(logger.lineComplete).toBe(false);
    logger.write(Buffer.from('\n'));
    await logger.close();
    const stamp = '@[0-9a-f]{24} ';
    expect(readLogDir(a).current.toString()).toMatch(new RegExp(`^${stamp}A keep one\\n${stamp}A drop\\n${stamp}A keep two\\n$`));
    expect(readLogDir(b).current.toString()).toMatch(new RegExp(`^${stamp}keep one\\n${stamp}keep two\\n$`));
    const stamps = readLogDir(a).current.toString().match(/@[0-9a-f]{24}/g)!;
    expect(stamps[0]).toBe(stamps[1]);
    expect(reports).toHaveLength(1);
  });
});

describe('backpressure on a full disk (tmpfs, root)', () => {
  it('write() returns false while the disk is full, and drain comes when space returns', async () => {
    requireRoot('mounting a tmpfs');
    const mountPoint = join(cleanup.tempDir('logger-disk-'), 'mnt');
    mkdirSync(mountPoint);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32k', 'tmpfs', mountPoint]);
    cleanup.add(() => {
      execFileSync('umount', ['-l', mountPoint]);
    });
    const dir = makeLogDir(mountPoint, 'log');
    const reports: string[] = [];
    const w = new LogDirWriter(dir, { pauseMs: 100, report: (line) => reports.push(line) });
    cleanup.add(() => w.close());
    expect(w.open()).toBe(true);
    const input = numberedLines(1000, 100);
    let drained = 0;
    w.on('drain', () => drained++);
    let accepted = 0;
    while (accepted < 10 && w.write(input.subarray(accepted * 10_000, (accepted + 1) * 10_000))) accepted++;
    expect(accepted).toBeLessThan(10);
    expect(w.blocked).toBe(true);
    await waitFor(() => reports.length >= 2, 'a retry that fails again');
    expect(reports[0]).toBe(`svlogd: pausing: unable to write to current: ${dir}: out of disk space\n`);
    execFileSync('mount', ['-o', 'remount,size=1m', mountPoint]);
    await waitFor(() => drained === 1, 'drain');
    for (accepted++; accepted < 10; accepted++) expect(w.write(input.subarray(accepted * 10_000, (accepted + 1) * 10_000))).toBe(true);
    await w.close();
    expect(readLogDir(dir).all.equals(input)).toBe(true);
  });
});

describe('a current left by a crash', () => {
  it('becomes a .u at open, and the writer starts a new current', async () => {
    const dir = makeLogDir(cleanup.tempDir('logger-unclean-'), 'log');
    writeFileSync(join(dir, 'current'), 'crash\n');
    chmodSync(join(dir, 'current'), 0o644);
    const w = writer(dir);
    expect(w.open()).toBe(true);
    w.write(Buffer.from('new\n'));
    await w.close();
    expect(readLogDir(dir).types).toEqual(['u']);
    expect(readLogDir(dir).all.toString()).toBe('crash\nnew\n');
  });
});

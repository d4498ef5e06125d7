import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup } from '@runit-ts/test-support';
import { checkLogDir, DATETIME_STAMP, inputLine, LINE_BYTES, LogLineChecker, logFilesInOrder, makeInput } from '../src/log-lines.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const STAMP = '2026-11-29_15:35:20.39451 ';
const stamped = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => STAMP + inputLine(from + k)).join('');

describe('the throughput input', () => {
  it('is numbered 100-byte lines', () => {
    expect(inputLine(7)).toHaveLength(LINE_BYTES);
    expect(inputLine(7).startsWith('00000007 x')).toBe(true);
    const input = makeInput(3);
    expect(input.length).toBe(300);
    expect(input.toString('latin1')).toBe(inputLine(0) + inputLine(1) + inputLine(2));
  });

  it('matches svlogd -tt stamps', () => {
    expect(DATETIME_STAMP.test(STAMP)).toBe(true);
    expect(DATETIME_STAMP.test('2026-11-29 15:35:20.39451 ')).toBe(false);
  });
});

describe('LogLineChecker', () => {
  it('counts intact lines in order, across chunks that split lines anywhere', () => {
    const text = Buffer.from(stamped(0, 5), 'latin1');
    const checker = new LogLineChecker();
    for (let i = 0; i < text.length; i += 37) checker.feed(text.subarray(i, i + 37));
    expect(checker.result()).toEqual({ intact: 5, wrong: 0, trailing: 0 });
  });

  it('counts lost, duplicated, damaged and unfinished lines as not intact', () => {
    const checker = new LogLineChecker();
    checker.feed(Buffer.from(stamped(0, 2) + stamped(3, 4) + stamped(0, 1) + 'garbage\n' + STAMP + '000', 'latin1'));
    // line 2 is missing: 3 is not the expected next line, nor is the repeated 0
    expect(checker.result()).toEqual({ intact: 2, wrong: 3, trailing: STAMP.length + 3 });
  });

  it('checks unstamped lines when there is no stamp', () => {
    const checker = new LogLineChecker(0);
    checker.feed(makeInput(4));
    expect(checker.result()).toEqual({ intact: 4, wrong: 0, trailing: 0 });
  });
});

describe('a log dir', () => {
  it('is read rotated files first, by name, then current, a split line joined again', () => {
    const dir = join(cleanup.tempDir('bench-log-'), 'main');
    mkdirSync(dir);
    const all = stamped(0, 6);
    const split = STAMP.length + 40 + 2 * (STAMP.length + LINE_BYTES);
    writeFileSync(join(dir, '@400000006000000200000000.s'), all.slice(split, split + 150));
    writeFileSync(join(dir, '@400000006000000100000000.s'), all.slice(0, split));
    writeFileSync(join(dir, 'current'), all.slice(split + 150));
    writeFileSync(join(dir, 'config'), 's1000\n');
    writeFileSync(join(dir, 'lock'), '');
    expect(logFilesInOrder(dir).map((f) => f.slice(dir.length + 1))).toEqual([
      '@400000006000000100000000.s',
      '@400000006000000200000000.s',
      'current',
    ]);
    expect(checkLogDir(dir)).toEqual({ intact: 6, wrong: 0, trailing: 0, files: 3 });
  });
});

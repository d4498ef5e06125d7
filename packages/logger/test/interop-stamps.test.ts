// Timestamp formats (-t, -tt, -ttt) match runit's, on every line, on stderr copies and in file names.
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS, linesOf, makeLogDir, readLogDir, runSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const TAI64N = /^@(4000000[0-9a-f]{9})([0-9a-f]{8}) $/;
const DATETIME = /^(\d{4})-(\d\d)-(\d\d)_(\d\d):(\d\d):(\d\d)\.(\d{5}) $/;
const ISO8601 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{5}) $/;

/** Unix seconds a stamp stands for. */
function secondsOf(stamp: string): number {
  const tai = TAI64N.exec(stamp);
  if (tai) {
    const nano = parseInt(tai[2]!, 16);
    expect(nano).toBeLessThan(1_000_000_000);
    // runit's nano field is usec * 1000 + 500.
    expect(nano % 1000).toBe(500);
    return Number(BigInt(`0x${tai[1]}`) - 0x400000000000000an);
  }
  const date = DATETIME.exec(stamp) ?? ISO8601.exec(stamp);
  expect(date).not.toBeNull();
  const [, y, mo, d, h, mi, s] = date!.map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) / 1000;
}

describe.each(IMPLEMENTATIONS)('timestamps ($name)', ({ command }) => {
  it.each([
    ['-t', TAI64N],
    ['-tt', DATETIME],
    ['-ttt', ISO8601],
    ['-tttt', ISO8601],
  ] as const)('%s stamps every line with the time it was read, then the prefix', async (flag, format) => {
    const dir = makeLogDir(cleanup.tempDir('svlogd-stamps-'), 'log', 'p[p] \ne*error*\ns60\n');
    const before = Math.floor(Date.now() / 1000);
    const result = await runSvlogd(command(), [flag, dir], 'one\n\nerror two\nthree and a longer line\n', cleanup);
    const after = Math.ceil(Date.now() / 1000);
    const contents = readLogDir(dir);
    const lines = [...linesOf(contents.all), ...linesOf(Buffer.from(result.stderr, 'latin1'))];
    expect(lines.map((line) => line.slice(26))).toEqual([
      '[p] one',
      '[p] ',
      '[p] error two',
      '[p] three and a longer line',
      '[p] error two',
    ]);
    for (const line of lines) {
      const stamp = line.slice(0, 26);
      expect(stamp).toMatch(format);
      const seconds = secondsOf(stamp);
      expect(seconds).toBeGreaterThanOrEqual(before);
      expect(seconds).toBeLessThanOrEqual(after);
    }
    for (const name of contents.old) {
      const seconds = secondsOf(`${name.slice(0, 25)} `);
      expect(seconds).toBeGreaterThanOrEqual(before);
      expect(seconds).toBeLessThanOrEqual(after);
    }
  });
});

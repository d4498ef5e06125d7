// The same input through the real svlogd and ours, without timestamps, with configs that force
// rotation: current, the rotated files (count and types) and all bytes in name order must be identical.
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLogDir, numberedLines, ourCommand, randomInput, readLogDir, reference, runSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Case {
  name: string;
  config: string;
  args?: string[];
  input: () => Buffer;
}

const longAndBinary = (): Buffer =>
  Buffer.concat([
    randomInput(1, 300, 3000),
    Buffer.from('tab\there\r\ncr\rin the middle\n\u0000nul first\nlast\u0000\n', 'latin1'),
    Buffer.from('caf\u00e9 \u00ff\u00fe bytes\n', 'latin1'),
    Buffer.from(`${'x'.repeat(1000)}\n${'y'.repeat(999)}\n${'z'.repeat(1001)}\n\n\n`),
  ]);

const cases: Case[] = [
  { name: 'long lines, all bytes, rotation every 4 kB', config: 's4096\nn0\n', input: longAndBinary },
  { name: 'size equal to the line length: a rotation after every line', config: 's1000\nn0\n', input: longAndBinary },
  { name: 'size below the line length: rotation only where current fills up', config: 's700\nn0\n', input: longAndBinary },
  { name: '-l 100 -b 200 with lines straddling files', config: 's1500\nn0\n', args: ['-l', '100', '-b', '200'], input: longAndBinary },
  { name: 'many lines with a prefix', config: 's100000\nn0\npapp: \n', input: () => numberedLines(20_000, 100) },
  { name: 'pruning to n3 keeps the same newest files', config: 's3000\nn3\n', input: () => randomInput(7, 400, 120) },
  { name: '-r and -R replace the first len bytes only', config: 's2500\nn0\n', args: ['-r', '.', '-R', 'aeiou', '-l', '50'], input: longAndBinary },
  { name: '-R alone replaces with _', config: 's0\n', args: ['-R', 'xyz'], input: longAndBinary },
  {
    name: 'patterns select lines, long lines included',
    config: 's2000\nn0\n-*\n+*a*\n-*\u0000*\n+x*\n',
    input: longAndBinary,
  },
  { name: 'k suffix and the default config', config: 's1k\nn0\n', input: () => randomInput(3, 500, 40) },
];

describe('byte-identical log dirs, ours and the real svlogd', () => {
  it.each(cases)('$name', async ({ config, args = [], input }) => {
    const data = input();
    const tmp = cleanup.tempDir('svlogd-interop-');
    const ourDir = makeLogDir(tmp, 'ours', config);
    const refDir = makeLogDir(tmp, 'ref', config);
    const [ours, ref] = await Promise.all([
      runSvlogd(ourCommand(), [...args, ourDir], data, cleanup),
      runSvlogd(reference(), [...args, refDir], data, cleanup),
    ]);
    expect(ours).toEqual(ref);
    expect(ours.code).toBe(0);
    const a = readLogDir(ourDir);
    const b = readLogDir(refDir);
    expect(a.types).toEqual(b.types);
    if (!config.startsWith('s0')) expect(a.old.length).toBeGreaterThan(0);
    expect(a.current.equals(b.current)).toBe(true);
    expect(a.all.length).toBe(b.all.length);
    expect(a.all.equals(b.all)).toBe(true);
  }, 60_000);

  it('splits a line across two files exactly where the real svlogd does', async () => {
    const data = Buffer.from(`${'a'.repeat(40)}\n${'b'.repeat(40)}\n${'c'.repeat(40)}\n`);
    const tmp = cleanup.tempDir('svlogd-interop-');
    const config = 's50\nn0\n';
    const dirs = [makeLogDir(tmp, 'ours', config), makeLogDir(tmp, 'ref', config)];
    await runSvlogd(ourCommand(), [dirs[0]!], data, cleanup);
    await runSvlogd(reference(), [dirs[1]!], data, cleanup);
    const [a, b] = dirs.map(readLogDir);
    expect(a!.old.length).toBeGreaterThan(1);
    expect(a!.types).toEqual(b!.types);
    expect(a!.current.toString()).toBe(b!.current.toString());
    expect(a!.all.equals(b!.all)).toBe(true);
    // Each old file holds at most s bytes; at least one ends inside a line.
    expect(a!.all.toString()).toBe(data.toString());
  });

  it('appends to an existing current across runs, as runit does', async () => {
    const tmp = cleanup.tempDir('svlogd-interop-');
    const config = 's300\nn0\n';
    const dirs = [makeLogDir(tmp, 'ours', config), makeLogDir(tmp, 'ref', config)];
    for (let run = 0; run < 4; run++) {
      const data = randomInput(100 + run, 20, 30);
      await runSvlogd(ourCommand(), [dirs[0]!], data, cleanup);
      await runSvlogd(reference(), [dirs[1]!], data, cleanup);
    }
    const [a, b] = dirs.map(readLogDir);
    expect(a!.types).toEqual(b!.types);
    expect(a!.current.equals(b!.current)).toBe(true);
    expect(a!.all.equals(b!.all)).toBe(true);
  });
});

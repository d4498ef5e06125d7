// Line selection against the real svlogd: random patterns over random lines (one log dir per
// pattern set), `e`/`E` copies on stderr, and `u`/`U` copies over UDP on 127.0.0.1.
import { createSocket } from 'node:dgram';
import fc from 'fast-check';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLogDir, ourCommand, readLogDir, reference, runSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const piece = fc.constantFrom('a', 'b', 'ab', ' ', '*', '+', 'x', 'é', ':', '\t');
const patternText = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
const lineText = fc.array(fc.constantFrom('a', 'b', 'ab', ' ', '*', '+', 'x', 'é', ':', '\t', 'aa', 'bbb'), { maxLength: 8 }).map((p) => p.join(''));
const action = fc.constantFrom('+', '-', 'e', 'E');
const patternSet = fc.array(fc.tuple(action, patternText), { minLength: 1, maxLength: 4 });

describe('patterns, ours and the real svlogd', () => {
  const seeds = (process.env.SVLOGD_PATTERN_SEEDS ?? '20261129,7,1234').split(',').map(Number);
  it.each(seeds)('select the same lines for the log and for stderr, over random patterns and lines (seed %i)', async (seed) => {
    // One run of each program over 40 dirs: each dir holds one random pattern set.
    const [sets, lines] = fc.sample(fc.tuple(fc.array(patternSet, { minLength: 40, maxLength: 40 }), fc.array(lineText, { minLength: 60, maxLength: 60 })), {
      numRuns: 1,
      seed,
    })[0]!;
    const input = Buffer.from(`${lines.join('\n')}\n`);
    const tmp = cleanup.tempDir('svlogd-patterns-');
    const results: Record<string, { dirs: string[]; stderr: string }> = {};
    for (const [name, command] of [
      ['ours', ourCommand()],
      ['ref', reference()],
    ] as const) {
      const dirs = sets.map((set, i) => makeLogDir(tmp, `${name}-${i}`, Buffer.from(set.map(([a, p]) => `${a}${p}\n`).join(''))));
      const { code, stderr } = await runSvlogd(command, ['-l', '12', '-b', '64', ...dirs], input, cleanup);
      expect(code).toBe(0);
      results[name] = { dirs, stderr };
    }
    for (let i = 0; i < sets.length; i++) {
      const ours = readLogDir(results.ours!.dirs[i]!).current.toString('latin1');
      const ref = readLogDir(results.ref!.dirs[i]!).current.toString('latin1');
      expect({ set: sets[i], log: ours }).toEqual({ set: sets[i], log: ref });
    }
    // stderr copies come dir by dir here, line by line in runit: compare them as sorted lines.
    const sorted = (text: string): string[] => text.split('\n').sort();
    expect(sorted(results.ours!.stderr)).toEqual(sorted(results.ref!.stderr));
    expect(results.ours!.stderr.length).toBeGreaterThan(0);
  }, 60_000);

  it('copies e-selected lines to stderr with prefix and ..., the same way', async () => {
    const tmp = cleanup.tempDir('svlogd-stderr-');
    const config = 'p> \ne*\nE*quiet*\n-*drop*\n';
    const input = 'shown\nquiet here\ndrop me but show\nvery long line past the limit\n';
    const [ours, ref] = await Promise.all([
      runSvlogd(ourCommand(), ['-l', '10', '-b', '20', makeLogDir(tmp, 'ours', config)], input, cleanup),
      runSvlogd(reference(), ['-l', '10', '-b', '20', makeLogDir(tmp, 'ref', config)], input, cleanup),
    ]);
    expect(ours.stderr).toBe('> shown\n> drop me bu...\n> very long ...\n');
    expect(ours).toEqual(ref);
    expect(readLogDir(`${tmp}/ours`).current.toString()).toBe(readLogDir(`${tmp}/ref`).current.toString());
  });
});

describe('UDP copies, ours and the real svlogd', () => {
  async function collect(command: string, config: (port: number) => string, input: string, lines: number) {
    const socket = createSocket('udp4');
    const got: string[] = [];
    socket.on('message', (message) => got.push(message.toString('latin1')));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const tmp = cleanup.tempDir('svlogd-udp-');
    const dir = makeLogDir(tmp, 'log', config(socket.address().port));
    const result = await runSvlogd(command, ['-l', '12', '-b', '64', dir], input, cleanup);
    await waitFor(() => got.length >= lines, `${lines} datagrams`);
    return { result, datagrams: got, current: readLogDir(dir).current.toString('latin1') };
  }

  const input = 'one\ntwo is a longer line\n-skip\nthree\n';
  for (const [letter, what] of [
    ['u', 'sends each selected line and writes it to current'],
    ['U', 'sends each selected line and writes nothing to current'],
  ] as const) {
    it(`${letter}: ${what}`, async () => {
      const config = (port: number): string => `${letter}127.0.0.1:${port}\npudp: \n--*\n`;
      const ours = await collect(ourCommand(), config, input, 3);
      const ref = await collect(reference(), config, input, 3);
      expect(ours.datagrams).toEqual(['udp: one\n', 'udp: two is a lon...\n', 'udp: three\n']);
      expect(ours.datagrams).toEqual(ref.datagrams);
      expect(ours.current).toBe(ref.current);
      expect(ours.result).toEqual(ref.result);
    });
  }
});

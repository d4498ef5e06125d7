// The processor protocol (docs/runit-behaviour.md §5.7), ours and the real svlogd: fds 0/1/4/5, cwd,
// .u -> .s, state, restart on failure, a signal death counting as success, rotations waiting for the
// processor.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLogDir, modeOf, ourCommand, readLogDir, reference, runSvlogd, type Finished } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Outcome {
  result: Finished;
  types: string[];
  processed: string;
  current: string;
  state: string | undefined;
  newstate: boolean;
}

/** Runs both implementations over the same input and config; returns what each left behind. */
async function both(config: string, input: string, args: string[] = []): Promise<Record<'ours' | 'ref', Outcome>> {
  const tmp = cleanup.tempDir('svlogd-processor-');
  const out: Partial<Record<'ours' | 'ref', Outcome>> = {};
  for (const [name, command] of [
    ['ours', ourCommand()],
    ['ref', reference()],
  ] as const) {
    const dir = makeLogDir(tmp, name, config);
    const result = await runSvlogd(command, [...args, dir], input, cleanup);
    const contents = readLogDir(dir);
    for (const old of contents.old.filter((f) => f.endsWith('s'))) expect(modeOf(join(dir, old))).toBe(0o744);
    out[name] = {
      // runit reports SIGCHLD only when the processor ends while it waits for input: timing, not behaviour.
      result: {
        ...result,
        stderr: result.stderr
          .replaceAll(dir, 'DIR')
          .replace(/@[0-9a-f]{24}/g, '@NAME')
          .replaceAll('svlogd: info: sigchild received.\n', ''),
      },
      types: contents.types,
      processed: Buffer.concat(contents.old.map((f) => readFileSync(join(dir, f)))).toString('latin1'),
      current: contents.current.toString('latin1'),
      state: existsSync(join(dir, 'state')) ? readFileSync(join(dir, 'state'), 'latin1') : undefined,
      newstate: existsSync(join(dir, 'newstate')),
    };
  }
  return out as Record<'ours' | 'ref', Outcome>;
}

const lines = (count: number): string => Array.from({ length: count }, (_, i) => `line ${i} of the input\n`).join('');

describe('processor, ours and the real svlogd', () => {
  it('processes each rotated file: stdin the .u, stdout the .s, state fd 4 -> newstate fd 5, in the log dir', async () => {
    const config = 's200\n!tr a-z A-Z; { cat <&4; echo "run in $(basename "$PWD") as $0"; } >&5\n';
    const { ours, ref } = await both(config, lines(30), ['-v']);
    expect(ours.types).toEqual(['s', 's', 's']);
    expect(ours.processed).toBe(lines(30).toUpperCase().slice(0, 600));
    expect(ours.state).toBe('run in ours as sh\n'.repeat(3));
    expect(ours.newstate).toBe(false);
    expect(ours.result.stderr).toContain('svlogd: info: processing: DIR/@NAME.u\n');
    expect(ours.result.stderr).toContain('svlogd: info: processed: DIR/@NAME.s\n');
    expect({ ...ours, state: ours.state?.replaceAll('ours', 'X') }).toEqual({ ...ref, state: ref.state?.replaceAll('ref', 'X') });
  });

  it('restarts a failed processor on the same file, with runit\'s warning', async () => {
    const config = 's40\n!if test -e failed-once; then cat; else touch failed-once; echo partial; exit 3; fi\n';
    const { ours, ref } = await both(config, lines(3));
    expect(ours.result.stderr).toBe('svlogd: warning: processor failed, restart: DIR\n');
    expect(ours.types).toEqual(['s']);
    expect(ours.processed).toBe(lines(3).slice(0, 40));
    expect(ours).toEqual(ref);
  });

  it('counts a processor killed by a signal as a success', async () => {
    const config = 's40\n!echo before; kill -9 $$\n';
    const { ours, ref } = await both(config, lines(3));
    expect(ours.types).toEqual(['s']);
    expect(ours.processed).toBe('before\n');
    expect(ours.result).toMatchObject({ code: 0, stderr: '' });
    expect(ours).toEqual(ref);
  });

  it('makes a rotation wait for a slow processor, losing and reordering nothing', async () => {
    const config = 's100\n!sleep 0.3; cat; echo x >&5\n';
    const input = lines(20);
    const { ours, ref } = await both(config, input);
    expect(ours.processed + ours.current).toBe(input);
    expect(ours.types.every((t) => t === 's')).toBe(true);
    expect(ours).toEqual(ref);
  });

  it('writes .s files, not .u, when the config has no processor', async () => {
    const { ours, ref } = await both('s40\n', lines(3));
    expect(ours.types).toEqual(['s']);
    expect(ours).toEqual(ref);
  });
});

// runsvdir side by side with runit 2.1.2's: usage, argument quirks, warnings, and the process-title log.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { ourCommand } from './support/commands.js';
import { cmdlineOf } from './support/procfs.js';
import { startRunsvdir, waitRunning, type RunsvdirRun } from './support/runsvdir-run.js';
import { makeService } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

type Which = 'ours' | 'reference';
const BOTH: Which[] = ['ours', 'reference'];

function runToEnd(which: Which, args: string[]) {
  const [file, ...pre] = which === 'ours' ? [process.execPath, ourCommand('runsvdir')] : [referenceBinary('runsvdir')];
  // ours on PATH, so that it prints its bare name as runit prints argv[0] 'runsvdir'
  const PATH = `${dirname(ourCommand('runsvdir'))}:${process.env.PATH}`;
  const result = spawnSync(file!, [...pre, ...args], { encoding: 'utf8', argv0: 'runsvdir', timeout: 20_000, env: { PATH } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh services dir per program, so that the two never share supervise/ directories. */
function servicesDir(which: Which, fill: (svdir: string) => void) {
  const base = cleanup.tempDir(`runsvdir-ref-${which}-`);
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  fill(svdir);
  return { base, svdir };
}

const start = (which: Which, base: string, args: string[]): RunsvdirRun =>
  startRunsvdir(cleanup, args, { dirs: [base], reference: which === 'reference' });

describe('runsvdir compared with runit 2.1.2', () => {
  it.each([[[]], [['-P']], [['--']]])('prints the same usage for %j and exits 1', (args) => {
    const [ours, reference] = BOTH.map((w) => runToEnd(w, args));
    expect(ours).toEqual(reference);
    expect(ours).toEqual({ code: 1, stdout: '', stderr: 'usage: runsvdir [-P] dir\n\n' });
  });

  it('takes an unknown option as the directory name, as runit does', async () => {
    const lines = await Promise.all(
      BOTH.map(async (which) => {
        const base = cleanup.tempDir(`runsvdir-ref-${which}-`);
        const run = startRunsvdir(cleanup, ['-V'], { dirs: [base], reference: which === 'reference' });
        return waitFor(() => run.stderr().split('\n')[0] || undefined, `${which}: a first line`);
      }),
    );
    expect(lines[0]).toBe(lines[1]);
    expect(lines[0]).toBe('runsvdir -V: warning: unable to stat -V: file does not exist');
  });

  it('warns the same way about a log argument shorter than seven characters', async () => {
    const stderr = await Promise.all(
      BOTH.map(async (which) => {
        const { base, svdir } = servicesDir(which, () => undefined);
        const run = start(which, base, [svdir, 'short']);
        await waitFor(() => run.stderr().includes('disabled'), `${which}: the warnings`);
        return run.stderr().replaceAll(svdir, 'SVDIR');
      }),
    );
    expect(stderr[0]).toBe(stderr[1]);
    expect(stderr[0]).toBe(
      'runsvdir SVDIR: warning: log must have at least seven characters.\n' +
        'runsvdir SVDIR: warning: log service disabled.\n',
    );
  });

  it('warns with the same lines about dangling links and loops, and skips what runit skips', async () => {
    const seen = await Promise.all(
      BOTH.map(async (which) => {
        const { base, svdir } = servicesDir(which, (dir) => {
          makeService(dir, 'good');
          makeService(dir, '.hidden');
          symlinkSync('nowhere', join(dir, 'dangling'));
          symlinkSync('loop', join(dir, 'loop'));
          writeFileSync(join(dir, 'file'), '');
        });
        const run = start(which, base, [svdir]);
        await waitRunning(join(svdir, 'good'));
        await waitFor(() => run.stderr().includes('loop') && run.stderr().includes('dangling'), `${which}: warnings`);
        return [...new Set(run.stderr().replaceAll(svdir, 'SVDIR').split('\n').filter(Boolean))].sort();
      }),
    );
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toEqual([
      'runsvdir SVDIR: warning: unable to stat dangling: file does not exist',
      'runsvdir SVDIR: warning: unable to stat loop: symbolic link loop',
    ]);
  });

  it('shows the same process-title log window: runsvdir’s dot, then what services write to stderr', async () => {
    const log = `log: ${'.'.repeat(40)}`;
    const windows = await Promise.all(
      BOTH.map(async (which) => {
        const { base, svdir } = servicesDir(which, (dir) => makeService(dir, 'talker', { run: 'echo hello from talker >&2; exec sleep 600' }));
        const run = start(which, base, [svdir, log]);
        const title = await waitFor(() => {
          const text = cmdlineOf(run.pid);
          return text.includes('talker\n') ? text : undefined;
        }, `${which}: the title`);
        // runit's argv keeps its NULs between words; Node's title is one string padded with NULs
        const words = title.replace(/\0+$/, '').split(which === 'ours' ? ' ' : '\0');
        const window = which === 'ours' ? title.replace(/\0+$/, '').slice(`runsvdir ${svdir} `.length) : words[words.length - 1];
        return { window, head: words.slice(0, 2).join(' ').replace(/^\S*runsvdir/, 'runsvdir').replace(svdir, 'SVDIR') };
      }),
    );
    expect(windows[0]).toEqual(windows[1]);
    expect(windows[0]!.window).toBe(`log: ${'.'.repeat(22)}hello from talker\n`);
    expect(windows[0]!.head).toBe('runsvdir SVDIR');
  });
});

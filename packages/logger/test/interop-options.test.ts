// Options, messages, exit codes, the lock, modes and the unclean current: ours against the real svlogd.
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS, makeLogDir, modeOf, ourCommand, readLogDir, reference, RunningSvlogd, runSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Both commands as `svlogd` in a PATH dir, so both print argv[0] as "svlogd". */
function asPathCommands(tmp: string): Record<'ours' | 'reference', string> {
  const names = { ours: join(tmp, 'ours-bin'), reference: join(tmp, 'ref-bin') };
  mkdirSync(names.ours);
  mkdirSync(names.reference);
  symlinkSync(ourCommand(), join(names.ours, 'svlogd'));
  symlinkSync(reference(), join(names.reference, 'svlogd'));
  return names;
}

function runByName(binDir: string, args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const env = { ...process.env, PATH: `${binDir}:${process.env.PATH}` };
  return new Promise((resolve) => {
    import('node:child_process').then(({ spawn }) => {
      const child = spawn('svlogd', args, { env, cwd, stdio: ['pipe', 'ignore', 'pipe'] });
      cleanup.killLater(child.pid!);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
      child.stdin.on('error', () => undefined);
      child.stdin.end('line\n');
      child.on('close', (code) => resolve({ code, stderr }));
    });
  });
}

describe('usage and option errors', () => {
  const argvs: string[][] = [
    [],
    ['-V'],
    ['-x', 'd'],
    ['-l'],
    ['-tv', '-b'],
    ['-r', 'ab', 'd'],
    ['-r', '', 'd'],
    ['-rab', 'd'],
    ['-l', '2000', 'd'],
    ['-l', '5', '-b', '5', 'd'],
    ['-t-', 'd'],
    ['-tttt', '-Vx'],
    ['--'],
    ['--', '/nonexistent/dir'],
    ['/nonexistent/dir'],
    ['-l', '2000', '-b', '3000', '/nonexistent/dir', '/nonexistent/other'],
    ['afile'],
  ];
  it.each(argvs.map((argv) => [argv.join(' ') || '(none)', argv]))('%s', async (_, argv) => {
    const tmp = cleanup.tempDir('svlogd-usage-');
    writeFileSync(join(tmp, 'afile'), '');
    const bins = asPathCommands(tmp);
    const [ours, ref] = await Promise.all([runByName(bins.ours, argv as string[], tmp), runByName(bins.reference, argv as string[], tmp)]);
    expect(ours).toEqual(ref);
    expect(ours.code).toBe(111);
  });
});

describe.each(IMPLEMENTATIONS)('a log dir ($name)', ({ command }) => {
  it('creates current 0644 while running and leaves it 0744 after a clean exit, lock 0600', async () => {
    const tmp = cleanup.tempDir('svlogd-modes-');
    const dir = makeLogDir(tmp, 'log');
    const svlogd = new RunningSvlogd(command(), [dir], cleanup);
    svlogd.write('one\n');
    await waitFor(() => readLogDir(dir).current.toString() === 'one\n', 'first line in current');
    expect(modeOf(join(dir, 'current'))).toBe(0o644);
    expect(modeOf(join(dir, 'lock'))).toBe(0o600);
    expect(await svlogd.end('two\n')).toMatchObject({ code: 0, stderr: '' });
    expect(modeOf(join(dir, 'current'))).toBe(0o744);
    expect(readFileSync(join(dir, 'current'), 'utf8')).toBe('one\ntwo\n');
  });

  it('renames a current that was not closed cleanly to a .u file and starts a new one', async () => {
    const tmp = cleanup.tempDir('svlogd-unclean-');
    const dir = makeLogDir(tmp, 'log');
    writeFileSync(join(dir, 'current'), 'left by a crash\n');
    chmodSync(join(dir, 'current'), 0o644);
    expect(await runSvlogd(command(), [dir], 'after\n', cleanup)).toMatchObject({ code: 0, stderr: '' });
    const contents = readLogDir(dir);
    expect(contents.types).toEqual(['u']);
    expect(readFileSync(join(dir, contents.old[0]!), 'utf8')).toBe('left by a crash\n');
    expect(modeOf(join(dir, contents.old[0]!))).toBe(0o644);
    expect(contents.current.toString()).toBe('after\n');
  });

  it('keeps appending to a current closed cleanly (mode 0744) or empty', async () => {
    const tmp = cleanup.tempDir('svlogd-append-');
    const dir = makeLogDir(tmp, 'log');
    writeFileSync(join(dir, 'current'), 'before\n');
    chmodSync(join(dir, 'current'), 0o744);
    await runSvlogd(command(), [dir], 'after\n', cleanup);
    expect(readLogDir(dir)).toMatchObject({ old: [] });
    expect(readLogDir(dir).current.toString()).toBe('before\nafter\n');
  });

  it('rotates into .s files of mode 0744', async () => {
    const tmp = cleanup.tempDir('svlogd-rotate-');
    const dir = makeLogDir(tmp, 'log', 's10\n');
    await runSvlogd(command(), [dir], 'a line of 20 bytes.\nand more\n', cleanup);
    const contents = readLogDir(dir);
    // s < len: no rotation after a line, only when current is full (split inside the line).
    expect(contents.types).toEqual(['s', 's']);
    expect(contents.old.map((name) => readFileSync(join(dir, name), 'latin1'))).toEqual(['a line of ', '20 bytes.\n']);
    expect(contents.current.toString()).toBe('and more\n');
    for (const name of contents.old) {
      expect(name).toMatch(/^@[0-9a-f]{24}\.s$/);
      expect(modeOf(join(dir, name))).toBe(0o744);
    }
  });
});

describe('messages, ours and the real svlogd', () => {
  it('skips a dir locked by the other implementation, with the same warning', async () => {
    const tmp = cleanup.tempDir('svlogd-lock-');
    const locked = makeLogDir(tmp, 'locked');
    const free = makeLogDir(tmp, 'free');
    for (const [holder, other] of [
      [ourCommand(), reference()],
      [reference(), ourCommand()],
    ] as const) {
      const holding = new RunningSvlogd(holder, [locked], cleanup);
      holding.write('held\n');
      await waitFor(() => readLogDir(locked).current.includes('held'), 'the holder to write');
      const both = await runSvlogd(other, [locked, free], 'to the free dir\n', cleanup);
      expect(both).toMatchObject({ code: 0, stderr: `svlogd: warning: unable to lock directory: ${locked}: temporary failure\n` });
      const none = await runSvlogd(other, [locked], 'nowhere\n', cleanup);
      expect(none).toEqual({
        code: 111,
        signal: null,
        stderr:
          `svlogd: warning: unable to lock directory: ${locked}: temporary failure\n` +
          'svlogd: fatal: no functional log directories.\n',
      });
      await holding.end();
    }
    expect(readLogDir(free).current.toString()).toBe('to the free dir\nto the free dir\n');
    expect(readLogDir(locked).current.toString()).toBe('held\nheld\n');
  });

  it('warns the same about config lines it cannot use', async () => {
    const tmp = cleanup.tempDir('svlogd-config-');
    const config = 'u1.2.3\nu1.2.3.4:0\nU10.0.0.300:x\n';
    const [ours, ref] = await Promise.all([
      runSvlogd(ourCommand(), [makeLogDir(tmp, 'ours', config)], 'x\n', cleanup),
      runSvlogd(reference(), [makeLogDir(tmp, 'ref', config)], 'x\n', cleanup),
    ]);
    expect(ours.stderr).toBe(
      'svlogd: warning: unable to scan ip address: 1.2.3\n' +
        'svlogd: warning: unable to scan port number: 0\n' +
        'svlogd: warning: unable to scan port number: x\n',
    );
    expect(ours).toEqual(ref);
  });

  it('prints the same -v lines (rotated names aside)', async () => {
    const tmp = cleanup.tempDir('svlogd-verbose-');
    const config = 's30\nn2\n';
    const input = 'first line of the log\nsecond line of the log\nthird line of the log\nfourth line of the log\nfifth\n';
    const outs: string[] = [];
    for (const [name, command] of [
      ['ours', ourCommand()],
      ['ref', reference()],
    ] as const) {
      const dir = makeLogDir(tmp, name, config);
      const { stderr } = await runSvlogd(command, ['-v', dir], input, cleanup);
      outs.push(stderr.replaceAll(dir, 'DIR').replace(/@[0-9a-f]{24}/g, '@NAME'));
    }
    expect(outs[0]).toContain('svlogd: info: rename: DIR/current @NAME.s ');
    expect(outs[0]).toContain('svlogd: info: delete: DIR/@NAME.s');
    expect(outs[0]).toBe(outs[1]);
  });

  it('prints the same -v lines for dirs it cannot use', async () => {
    const tmp = cleanup.tempDir('svlogd-verbose-');
    writeFileSync(join(tmp, 'afile'), '');
    const outs: string[] = [];
    for (const command of [ourCommand(), reference()]) {
      const dir = makeLogDir(tmp, `dir${outs.length}`);
      const { stderr } = await runSvlogd(command, ['-v', dir, dir, join(tmp, 'afile'), join(tmp, 'missing')], 'x\n', cleanup);
      outs.push(stderr.replaceAll(dir, 'DIR'));
    }
    expect(outs[0]).toContain('svlogd: info: close: \nsvlogd: warning: unable to lock directory: DIR: temporary failure\n');
    expect(outs[0]).toBe(outs[1]);
  });
});

// The runsv command, ours beside the real one: usage, fatal start-up errors, SIGTERM, exec failures
// (one line a second, CPU idle). Runs commands with child_process, so no reaper in this file.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot, waitFor } from '@runit-ts/test-support';
import { lines, makeService, readStat } from './fixtures.js';
import { oursOnPath, realOnPath } from './commands.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

type Impl = 'real' | 'ours';
const IMPLS: Impl[] = ['real', 'ours'];

/** A PATH whose first entry holds a `runsv` of the given implementation. */
function pathFor(impl: Impl): string {
  return `${impl === 'real' ? realOnPath(cleanup) : oursOnPath(cleanup)}:/usr/bin:/bin`;
}

/** Runs `runsv args…` to completion in cwd; stdout and stderr together. */
function runsvSync(impl: Impl, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync('runsv', args, { cwd, env: { PATH: pathFor(impl) }, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

interface Running {
  pid: number;
  /** The file holding runsv's (and its children's) stdout and stderr. */
  outPath: string;
  /** stdout and stderr of runsv and of its children. */
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `runsv svc` in root, in a process group of its own that clean-up kills; `wrapper` (a command
 * and its arguments, found on PATH) runs runsv.
 */
function startRunsv(impl: Impl, root: string, name = 'svc', wrapper: string[] = []): Running {
  const outPath = join(root, `${impl}-${name}.out`);
  const fd = openSync(outPath, 'a');
  const [command, ...args] = [...wrapper, 'runsv', name];
  const child = spawn(command!, args, { cwd: root, env: { PATH: pathFor(impl) }, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  cleanup.killLater(child.pid!, true);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { pid: child.pid!, outPath, output: () => readFileSync(outPath, 'utf8'), exited };
}

/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

describe('runsv command', () => {
  it.each([[[]], [['a', 'b']]])('usage with %j: runit\'s text and exit 1, as the real runsv', (args) => {
    const root = cleanup.tempDir();
    const real = runsvSync('real', args, root);
    const ours = runsvSync('ours', args, root);
    expect(real).toEqual({ status: 1, output: 'usage: runsv dir\n\n' });
    expect(ours).toEqual(real);
  });

  it.each(IMPLS)('%s: a second runsv on the same dir exits 111 with the lock message', async (impl) => {
    const root = cleanup.tempDir();
    makeService(root, 'svc', {});
    const first = startRunsv(impl, root);
    await waitFor(() => readStat(join(root, 'svc')) === 'run', 'first runs');
    expect(runsvSync(impl, ['svc'], root)).toEqual({ status: 111, output: 'runsv svc: fatal: unable to lock supervise/lock: temporary failure\n' });
    process.kill(first.pid, 'SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('fatal start-up errors print the same line and exit 111 as the real runsv', () => {
    const root = cleanup.tempDir();
    makeService(root, 'plainfile', {});
    writeFileSync(join(root, 'plainfile/supervise'), '');
    makeService(root, 'notfifo', {});
    mkdirSync(join(root, 'notfifo/supervise'));
    writeFileSync(join(root, 'notfifo/supervise/control'), '');
    writeFileSync(join(root, 'notdir'), '');
    for (const name of ['plainfile', 'notfifo', 'missing', 'notdir']) {
      const real = runsvSync('real', [name], root);
      expect(real.status).toBe(111);
      expect(runsvSync('ours', [name], root)).toEqual(real);
    }
  });

  it.each(IMPLS)('%s: SIGTERM is x: service down, log drained, runsv exits 0', async (impl) => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { run: 'echo hello\nexec sleep 1000', log: 'exec cat >>logged' });
    const runsv = startRunsv(impl, root);
    await waitFor(() => lines(join(dir, 'log/logged')).length === 1, 'line logged');
    process.kill(runsv.pid, 'SIGTERM');
    expect(await runsv.exited).toBe(0);
    expect(readStat(dir)).toBe('down');
    expect(readStat(dir, true)).toBe('down');
    expect(readFileSync(join(dir, 'supervise/stat'), 'utf8')).toBe('down\n');
  });

  it('service and log both down: the same files and modes in supervise/ as the real runsv (no log pid file)', async () => {
    const listings: Record<Impl, string> = { real: '', ours: '' };
    for (const impl of IMPLS) {
      const root = cleanup.tempDir();
      const dir = makeService(root, 'svc', { down: true, log: 'exec cat', logDown: true });
      const runsv = startRunsv(impl, root);
      await waitFor(() => readStat(dir) === 'down' && readStat(dir, true) === 'down', 'both down');
      process.kill(runsv.pid, 'SIGTERM');
      expect(await runsv.exited).toBe(0);
      const find = spawnSync('find', ['supervise', 'log/supervise', '-printf', '%p %M %s\\n'], { cwd: dir, encoding: 'utf8' });
      listings[impl] = find.stdout.split('\n').sort().join('\n');
    }
    expect(listings.real).toContain('supervise/pid -rw-r--r-- 0');
    expect(listings.real).not.toContain('log/supervise/pid');
    expect(listings.ours).toBe(listings.real);
  });

  it('log as a file and a log symlink loop: the same warnings as the real runsv', async () => {
    for (const impl of IMPLS) {
      const root = cleanup.tempDir();
      const file = makeService(root, 'svc', {});
      writeFileSync(join(file, 'log'), '');
      const loop = makeService(root, 'loop', {});
      symlinkSync('log', join(loop, 'log'));
      const a = startRunsv(impl, root, 'svc');
      const b = startRunsv(impl, root, 'loop');
      await waitFor(() => a.output().includes('\n') && b.output().includes('\n'), 'warnings');
      expect(a.output()).toBe('runsv svc: warning: ./log: not a directory.\n');
      expect(b.output()).toBe('runsv loop: warning: unable to stat() ./log: : symbolic link loop\n');
    }
  });
});

describe('children that cannot start', () => {
  it('log/run missing and a control/t that is not a valid executable: the same lines as the real runsv', async () => {
    const seen: Record<Impl, string[]> = { real: [], ours: [] };
    for (const impl of IMPLS) {
      const root = cleanup.tempDir();
      const dir = makeService(root, 'svc', { control: { t: '' } });
      mkdirSync(join(dir, 'log'));
      writeFileSync(join(dir, 'control/t'), 'garbage');
      const runsv = startRunsv(impl, root);
      await waitFor(() => readStat(dir) === 'run' && runsv.output().includes('log/./run'), 'log attempts');
      const pid = Number(readFileSync(join(dir, 'supervise/pid'), 'utf8'));
      writeFileSync(join(dir, 'supervise/control'), 't');
      // the handler "fails" (its child exits 111), so TERM is sent: a new ./run starts
      await waitFor(() => readStat(dir) === 'run' && Number(readFileSync(join(dir, 'supervise/pid'), 'utf8')) !== pid, 'restarted');
      process.kill(runsv.pid, 'SIGTERM');
      expect(await runsv.exited).toBe(0);
      seen[impl] = [...new Set(lines(runsv.outPath))].sort();
    }
    expect(seen.real).toEqual([
      'runsv svc: fatal: unable to run control/?: exec format error',
      'runsv svc: fatal: unable to start log/./run: file does not exist',
    ]);
    expect(seen.ours).toEqual(seen.real);
  });
});

describe('a log/ that cannot be entered and a log/run that cannot be executed', () => {
  // Root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH meets permissions as any user does.
  const withoutDacCapabilities = ['setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];

  it('print runit\'s two different fatal lines, as the real runsv does (root)', async () => {
    requireRoot();
    const seen: Record<Impl, string[]> = { real: [], ours: [] };
    for (const impl of IMPLS) {
      const root = cleanup.tempDir();
      const dir = makeService(root, 'svc', {});
      mkdirSync(join(dir, 'log')); // no log/run: its exec fails
      const runsv = startRunsv(impl, root, 'svc', withoutDacCapabilities);
      await waitFor(() => runsv.output().includes('unable to start log/./run'), 'log/run exec failure');
      chmodSync(join(dir, 'log'), 0o000); // log/ is still a directory, but runsv may not enter it
      cleanup.add(() => chmodSync(join(dir, 'log'), 0o755));
      await waitFor(() => runsv.output().includes('unable to change directory to ./log'), 'chdir failure');
      process.kill(runsv.pid, 'SIGTERM');
      expect(await runsv.exited).toBe(0);
      // The child's lines; the warnings about log/supervise/ files that follow the chmod depend on
      // timing in runit's runsv too (one pid-changed flag for both services).
      seen[impl] = [...new Set(lines(runsv.outPath).filter((line) => line.includes(': fatal: ')))].sort();
    }
    expect(seen.real).toEqual([
      'runsv svc: fatal: unable to change directory to ./log: access denied',
      'runsv svc: fatal: unable to start log/./run: file does not exist',
    ]);
    expect(seen.ours).toEqual(seen.real);
  });
});

describe('diagnostics as JSON lines (RUNIT_TS_LOG_FORMAT=json)', () => {
  it('warnings and fatal lines become pino JSON lines with the same text', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    writeFileSync(join(dir, 'log'), '');
    const env = { PATH: pathFor('ours'), RUNIT_TS_LOG_FORMAT: 'json' };
    const outPath = join(root, 'json.out');
    const fd = openSync(outPath, 'a');
    const child = spawn('runsv', ['svc'], { cwd: root, env, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    cleanup.killLater(child.pid!, true);
    await waitFor(() => readStat(dir) === 'run' && lines(outPath).length === 1, 'warning printed');
    const second = spawnSync('runsv', ['svc'], { cwd: root, env, encoding: 'utf8' });
    expect(second.status).toBe(111);
    const warning = JSON.parse(lines(outPath)[0]!);
    const [again, fatalLine] = second.stderr.trim().split('\n'); // the second runsv warns about log too
    expect(JSON.parse(again!)).toMatchObject({ msg: './log: not a directory.' });
    const fatal = JSON.parse(fatalLine!);
    expect(warning).toMatchObject({ level: 40, program: 'runsv', service: 'svc', msg: './log: not a directory.' });
    expect(fatal).toMatchObject({ level: 60, program: 'runsv', service: 'svc', msg: 'unable to lock supervise/lock: temporary failure' });
    expect(typeof warning.time).toBe('number');
  });
});

describe('./run that cannot be executed', () => {
  const broken: Array<[string, (run: string) => void, string]> = [
    ['missing', () => undefined, 'file does not exist'],
    ['not executable', (run) => (writeFileSync(run, '#!/bin/sh\n'), chmodSync(run, 0o644)), 'access denied'],
    ['not a valid executable', (run) => (writeFileSync(run, '\x7fELF garbage'), chmodSync(run, 0o755)), 'exec format error'],
  ];

  it.each(broken)('%s: one line per attempt, at most one a second, finish gets "111 0", CPU idle', async (_, breakRun, reason) => {
    const outputs: Record<Impl, string[]> = { real: [], ours: [] };
    for (const impl of IMPLS) {
      const root = cleanup.tempDir();
      const dir = makeService(root, 'svc', { run: null, finish: 'echo finish "$@" >>finish.args' });
      breakRun(join(dir, 'run'));
      // Taken before runsv exists, so no attempt can come before it; a slow machine only adds time.
      const started = performance.now();
      const runsv = startRunsv(impl, root);
      const output = () => lines(runsv.outPath);
      await waitFor(() => output().length >= 1, 'first line');
      const cpuFrom = performance.now();
      const ticks0 = cpuTicks(runsv.pid);
      await waitFor(() => output().length >= 4, 'four lines', 20_000);
      // The count is read before the clock: time passing after the read only adds room.
      const attempts = output().length;
      const seconds = (performance.now() - started) / 1000;
      const ticks = cpuTicks(runsv.pid) - ticks0;
      const cpuSeconds = (performance.now() - cpuFrom) / 1000;
      // the 1-second rule: n attempts take at least n - 1 seconds, with no busy wait meanwhile
      expect(attempts).toBeLessThanOrEqual(Math.floor(seconds) + 2);
      expect(ticks).toBeLessThan(Math.max(20, cpuSeconds * 10)); // < 10% of one CPU; a spin would be ~100%
      outputs[impl] = output().slice(0, 3);
      expect(lines(join(dir, 'finish.args')).slice(0, 3)).toEqual(['finish 111 0', 'finish 111 0', 'finish 111 0']);
    }
    expect(outputs.ours).toEqual(Array(3).fill(`runsv svc: fatal: unable to start ./run: ${reason}`));
    expect(outputs.ours).toEqual(outputs.real);
  });
});

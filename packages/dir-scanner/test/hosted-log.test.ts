// Hosted logs: the opt-in file's syntax, and services whose log dirs the service host writes itself.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { parseHostedLog } from '../src/hosted-log-file.js';
import { allProcesses, cmdlineOf, cwdOf } from './support/procfs.js';
import { startRunsvdir, sv, waitRunning } from './support/runsvdir-run.js';
import { makeService, textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('parseHostedLog: svlogd\'s own parser', () => {
  const plain = { timestamp: 'none', lineMax: 1000, verbose: false };
  it.each([
    ['./main', { options: plain, dirs: ['./main'] }],
    ['-tt ./main ./copy\nignored second line', { options: { ...plain, timestamp: 'datetime' }, dirs: ['./main', './copy'] }],
    ['-t main', { options: { ...plain, timestamp: 'tai64n' }, dirs: ['main'] }],
    ['-tttt -v main', { options: { ...plain, timestamp: 'iso8601', verbose: true }, dirs: ['main'] }],
    ['-r _ -R ab -l 200 -b 4096 main', { options: { ...plain, replaceWith: '_', replaceChars: 'ab', lineMax: 200 }, dirs: ['main'] }],
    ['-r_ -l0 main', { options: { ...plain, replaceWith: '_' }, dirs: ['main'] }],
    ['-l ten main', { options: plain, dirs: ['main'] }], // svlogd reads leading digits: none is 0, 0 is 1000
    ['-l 2000 -b 4000 main', { options: { ...plain, lineMax: 2000 }, dirs: ['main'] }],
    ['-- -odd', { options: plain, dirs: ['-odd'] }],
  ])('%j', (text, expected) => {
    expect(parseHostedLog(text)).toEqual(expected);
  });

  it.each([
    ['', 'no log directory given'],
    ['-tt', 'no log directory given'],
    ['-x main', 'unknown option -x'],
    ['-l', 'option -l needs a value'],
    ['-r ab main', 'option -r needs one character, got "ab"'],
    ['-l 2000 main', 'option -b (1024) must be greater than -l (2000)'],
    ['-V main', 'option -V prints a version, not a log'],
  ])('refuses %j, as svlogd does', (text, problem) => {
    expect(parseHostedLog(text)).toBe(problem);
  });
});

const POLITE = "echo hello; trap 'echo bye; exit 0' TERM; while :; do sleep 0.1; done";

function hostedService(svdir: string, name: string, hostedLog = '-tt ./main') {
  const dir = makeService(svdir, name, { run: POLITE });
  mkdirSync(join(dir, 'main'));
  writeFileSync(join(dir, 'hosted-log'), `${hostedLog}\n`);
  return dir;
}

const current = (dir: string): string => textOf(join(dir, 'main', 'current'));

describe('runsvdir with hosted logs', () => {
  it('writes the service’s output to its log dir in-process, svlogd’s format, no logger process', async () => {
    const base = cleanup.tempDir('hosted-log-');
    const svdir = join(base, 'service');
    const dir = hostedService(svdir, 'talker');
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const pid = await waitRunning(dir);
    await waitFor(() => /^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} hello\n$/.test(current(dir)), 'hello, stamped as -tt does');
    expect(sv(['status', dir]).stdout).toMatch(/^run: .*talker: \(pid \d+\) \d+s\n$/);
    // in the service dir: the run script and its sleeps, no logger
    const inService = allProcesses().filter((p) => cwdOf(p.pid)?.startsWith(dir));
    expect(inService.filter((p) => p.pid !== pid && p.ppid !== pid).map((p) => cmdlineOf(p.pid))).toEqual([]);
    expect(statSync(join(dir, 'main', 'lock')).isFile()).toBe(true);
  });

  it('drains and closes the log when the service is removed, as svlogd does at end-of-file', async () => {
    const base = cleanup.tempDir('hosted-log-');
    const svdir = join(base, 'service');
    const dir = hostedService(svdir, 'leaving');
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const pid = await waitRunning(dir);
    await waitFor(() => current(dir).includes('hello'), 'hello logged');
    const away = join(base, 'leaving');
    renameSync(dir, away);
    await waitFor(() => sv(['status', away]).stdout.includes('runsv not running'), 'supervisor gone');
    expect(isAlive(pid)).toBe(false);
    expect(current(away)).toMatch(/ hello\n.* bye\n$/);
    expect(statSync(join(away, 'main', 'current')).mode & 0o777).toBe(0o744);
  });

  it('leaves a service with a log/ directory to runit’s meaning, and says so', async () => {
    const base = cleanup.tempDir('hosted-log-');
    const svdir = join(base, 'service');
    const dir = hostedService(svdir, 'both');
    mkdirSync(join(dir, 'log'));
    writeFileSync(join(dir, 'log', 'run'), '#!/bin/sh\nexec cat > out.txt\n', { mode: 0o755 });
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    await waitRunning(dir);
    await waitFor(() => textOnceCreated(join(dir, 'log', 'out.txt'), 'utf8') === 'hello\n', 'log/run got the output');
    await waitFor(() => run.stderr().includes('runsv both: warning: hosted-log ignored: log/ is a directory\n'), 'the warning');
    expect(current(dir)).toBe('');
  });

  it('warns about a hosted-log it cannot use and leaves the output on runsvdir’s stdout', async () => {
    const base = cleanup.tempDir('hosted-log-');
    const svdir = join(base, 'service');
    const dir = hostedService(svdir, 'odd', '-x ./main');
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    await waitRunning(dir);
    await waitFor(() => run.stdout().includes('hello\n'), 'hello on stdout');
    await waitFor(() => run.stderr().includes('runsv odd: warning: hosted-log ignored: unknown option -x\n'), 'the warning');
  });
});

// chpst as a process: it becomes the program (same pid), passes descriptors and locks on, closes
// what it is told to, chroots, and the program reads back its limits, niceness and signal state.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, referenceBinary, requireRoot, waitFor } from '@runit-ts/test-support';
import {
  IMPLEMENTATIONS,
  OUR_CHPST,
  PLAIN_PATH,
  WORKSPACE_BIN,
  chpstBinary,
  linkAs,
  normalise,
  ourLauncher,
  run,
  type Implementation,
} from './helpers/commands.js';
import { makeChroot, parseLimits, startSleeper } from './helpers/fixtures.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const runOurs = (args: string[], cwd: string, stdio?: Parameters<typeof run>[2]['stdio']) =>
  run(OUR_CHPST, args, { cwd, viaSh: true, stdio });
const runImplementation = (implementation: Implementation, args: string[], cwd: string, stdio?: Parameters<typeof run>[2]['stdio']) =>
  run(chpstBinary(implementation), args, { cwd, viaSh: implementation === 'ours', stdio });

describe('chpst replaces itself with the program', () => {
  it('keeps its pid (chpst and a personality)', () => {
    requireRoot('chpst -u');
    const dir = cleanup.tempDir();
    const plain = runOurs(['-u', 'nobody', '-P', 'sh', '-c', 'echo $$'], dir);
    expect(plain.code).toBe(0);
    expect(Number(plain.stdout)).toBe(plain.pid);
    mkdirSync(join(dir, 'env'));
    const link = linkAs(dir, 'envdir', OUR_CHPST);
    const personality = run(link, ['env', 'sh', '-c', 'echo $$'], { cwd: dir, viaSh: true });
    expect(personality.code).toBe(0);
    expect(Number(personality.stdout)).toBe(personality.pid);
  });

  it('starts the program with default signal dispositions and an empty mask', () => {
    const dir = cleanup.tempDir();
    for (const implementation of IMPLEMENTATIONS) {
      const outcome = runImplementation(implementation, ['grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status'], dir);
      expect(outcome.stdout, implementation).toBe('SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
    }
  });
});

describe('descriptors', () => {
  /** Runs `sh -c script` with files on fds 3, 7 and 20 (as a supervisor might hand them down). */
  function withExtraFds(implementation: Implementation, args: string[], script: string) {
    const dir = cleanup.tempDir();
    const fds = ['three', 'seven', 'twenty'].map((name) => openSync(join(dir, name), 'w'));
    try {
      const stdio: Array<'pipe' | 'ignore' | number> = ['pipe', 'pipe', 'pipe'];
      for (let fd = 3; fd <= 20; fd++) stdio.push('ignore');
      [stdio[3], stdio[7], stdio[20]] = fds as [number, number, number];
      const outcome = runImplementation(implementation, [...args, 'sh', '-c', script], dir, stdio);
      return { ...outcome, stdout: normalise(outcome.stdout, dir), stderr: normalise(outcome.stderr, dir), dir };
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  }

  it('hands inherited descriptors (3, 7, 20) on to the program, and nothing of its own', () => {
    const script = 'for fd in 3 7 20; do readlink /proc/$$/fd/$fd; done; ls /proc/$$/fd | sort -n | tr "\\n" " "';
    const ours = withExtraFds('ours', [], script);
    const runit = withExtraFds('runit', [], script);
    // Descriptors the test runner itself inherited (above 20) may follow; runit's chpst sees them too.
    expect(ours.stdout).toMatch(/^\$DIR\/three\n\$DIR\/seven\n\$DIR\/twenty\n0 1 2 3 7 20 ([0-9]{3,} )*$/);
    expect(ours.stdout).toBe(runit.stdout);
  });

  it('-0 -1 -2 close stdin, stdout and stderr; the program sees them closed', () => {
    const script = 'for fd in 0 1 2; do if [ -e /proc/$$/fd/$fd ]; then echo "$fd open" >&3; else echo "$fd closed" >&3; fi; done';
    for (const [flags, expected] of [
      ['-012', '0 closed\n1 closed\n2 closed\n'],
      ['-1', '0 open\n1 closed\n2 open\n'],
      ['-02', '0 closed\n1 open\n2 closed\n'],
    ] as const) {
      for (const implementation of IMPLEMENTATIONS) {
        const outcome = withExtraFds(implementation, [flags], script);
        expect(outcome.code, `${implementation} ${flags}`).toBe(0);
        expect(readFileSync(join(outcome.dir, 'three'), 'utf8'), `${implementation} ${flags}`).toBe(expected);
      }
    }
  });
});

describe('locks', () => {
  /** The lines of /proc/locks that belong to pid ("->" marks one waiting for the lock). */
  const locksOf = (pid: number): string[] =>
    readFileSync('/proc/locks', 'utf8')
      .split('\n')
      .filter((line) => line.split(/\s+/).includes(String(pid)));

  it('-l: the program holds the lock (its fd stays open across the exec); -L fails until it ends', async () => {
    const dir = cleanup.tempDir();
    const holder = await startSleeper(cleanup, OUR_CHPST, ['-l', 'lock'], dir);
    const links = run('/bin/ls', ['-l', `/proc/${holder}/fd`], { cwd: dir }).stdout;
    expect(links).toContain(join(dir, 'lock'));
    expect(locksOf(holder).some((line) => /FLOCK\s+ADVISORY\s+WRITE/.test(line))).toBe(true);
    for (const implementation of IMPLEMENTATIONS) {
      const refused = runImplementation(implementation, ['-L', 'lock', 'true'], dir);
      expect(refused.code, implementation).toBe(111);
      expect(refused.stderr).toBe('chpst: fatal: unable to lock: lock: temporary failure\n');
    }
    process.kill(holder, 'SIGTERM');
    await waitFor(() => !isAlive(holder), 'the lock holder to end');
    expect(runOurs(['-L', 'lock', 'true'], dir).code).toBe(0);
  });

  it('-l waits while another holds the lock, then runs', async () => {
    const dir = cleanup.tempDir();
    const holder = await startSleeper(cleanup, referenceBinary('chpst'), ['-L', 'lock'], dir);
    const waiter = spawn(OUR_CHPST, ['-l', 'lock', 'sh', '-c', 'echo got the lock'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = waiter.pid!;
    cleanup.killLater(pid);
    let stdout = '';
    waiter.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => waiter.once('exit', (code) => resolve(code)));
    await waitFor(() => locksOf(pid).some((line) => line.includes('->')), 'chpst -l to wait in flock', 20_000);
    expect(isAlive(pid)).toBe(true);
    expect(stdout).toBe('');
    process.kill(holder, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toBe('got the lock\n');
  });

  it('setlock -n waits; the setlock personality fails at once without it', async () => {
    const dir = cleanup.tempDir();
    const holder = await startSleeper(cleanup, OUR_CHPST, ['-L', 'lock'], dir);
    const setlock = linkAs(dir, 'setlock', OUR_CHPST);
    expect(run(setlock, ['lock', 'true'], { cwd: dir, viaSh: true }).code).toBe(111);
    const waiter = spawn(setlock, ['-n', 'lock', 'true'], { cwd: dir, stdio: 'ignore' });
    cleanup.killLater(waiter.pid!);
    const exited = new Promise<number | null>((resolve) => waiter.once('exit', (code) => resolve(code)));
    await waitFor(() => locksOf(waiter.pid!).some((line) => line.includes('->')), 'setlock -n to wait', 20_000);
    process.kill(holder, 'SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('process state read back by the program', () => {
  it('limits: every limit option, as /proc/self/limits of the program shows them', () => {
    const dir = cleanup.tempDir();
    const args = ['-m', '300000000', '-o', '100', '-p', '500', '-f', '100000', '-c', '0', '-r', '4000000', '-t', '1000'];
    const limits = parseLimits(runOurs([...args, 'cat', '/proc/self/limits'], dir).stdout);
    // What was asked for, unless the hard limit is lower (then the hard limit).
    const expectSoft = (name: string, asked: number) => {
      const [soft, hard] = limits[name]!;
      expect(soft, name).toBe(hard === 'unlimited' || Number(hard) > asked ? String(asked) : hard);
    };
    expectSoft('Max data size', 300000000);
    expectSoft('Max stack size', 300000000);
    expectSoft('Max locked memory', 300000000);
    expectSoft('Max address space', 300000000);
    expectSoft('Max open files', 100);
    expectSoft('Max processes', 500);
    expectSoft('Max file size', 100000);
    expectSoft('Max core file size', 0);
    expectSoft('Max resident set', 4000000);
    expectSoft('Max cpu time', 1000);
    const data = parseLimits(runOurs(['-d', '123456789', 'cat', '/proc/self/limits'], dir).stdout);
    expect(data['Max data size']?.[0]).toBe('123456789');
  });

  it('limits above the hard limit become the hard limit (chpst and softlimit =)', () => {
    const dir = cleanup.tempDir();
    const script = 'ulimit -n 200; ulimit -S -c 0; exec "$0" "$@"';
    const raised = run('/bin/sh', ['-c', script, OUR_CHPST, '-o', '5000', 'cat', '/proc/self/limits'], { cwd: dir });
    expect(parseLimits(raised.stdout)['Max open files']).toEqual(['200', '200']);
    const softlimit = linkAs(dir, 'softlimit', OUR_CHPST);
    const hard = run('/bin/sh', ['-c', script, softlimit, '-c', '=', 'cat', '/proc/self/limits'], { cwd: dir, env: { PATH: PLAIN_PATH } });
    const core = parseLimits(hard.stdout)['Max core file size']!;
    expect(core[0]).toBe(core[1]);
  });

  it('-n adds to the niceness of the program', () => {
    const dir = cleanup.tempDir();
    const base = getPriority();
    const niceness = (args: string[]) => Number(runOurs([...args, 'cat', '/proc/self/stat'], dir).stdout.split(') ')[1]!.split(' ')[16]);
    expect(niceness(['-n', '5'])).toBe(Math.min(base + 5, 19));
    expect(niceness(['-n', '+2'])).toBe(Math.min(base + 2, 19));
    expect(niceness(['-n', '50'])).toBe(19);
  });
});

describe('-/ chroot and -C', () => {
  function makeRoot(): string {
    const dir = cleanup.tempDir();
    const root = makeChroot(join(dir, 'root'), ['/bin/sh', '/usr/bin/id']);
    mkdirSync(join(root, 'etc'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0::/:/bin/sh\nsvc:x:4242:4343::/:/bin/sh\n');
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nsvcgrp:x:4343:\nextra:x:4444:\n');
    writeFileSync(join(root, 'inside-the-root'), '');
    return dir;
  }

  it('runs the program inside the root, with users looked up there', () => {
    requireRoot('chroot');
    for (const implementation of IMPLEMENTATIONS) {
      const dir = makeRoot();
      const listing = runImplementation(implementation, ['-/', 'root', '/bin/sh', '-c', 'echo *; pwd'], dir);
      expect(listing.stdout, implementation).toBe('bin etc inside-the-root lib lib64 sub usr\n/\n');
      const user = runImplementation(implementation, ['-/', 'root', '-u', 'svc', '/usr/bin/id'], dir);
      expect(user.stdout, implementation).toBe('uid=4242(svc) gid=4343(svcgrp) groups=4343(svcgrp)\n');
      const groups = runImplementation(implementation, ['-/', 'root', '-u', 'svc:extra:svcgrp', '/usr/bin/id'], dir);
      expect(groups.stdout, implementation).toBe('uid=4242(svc) gid=4444(extra) groups=4444(extra),4343(svcgrp)\n');
    }
  });

  it('-C changes directory after the chroot (runit 2.2.0; the 2.1.2 reference has no -C)', () => {
    requireRoot('chroot');
    const dir = makeRoot();
    const inside = runOurs(['-/', 'root', '-C', '/sub', '/bin/sh', '-c', 'pwd'], dir);
    expect(inside).toMatchObject({ code: 0, stdout: '/sub\n' });
    const plain = runOurs(['-C', 'root/sub', 'pwd'], dir);
    expect(plain).toMatchObject({ code: 0, stdout: `${join(dir, 'root', 'sub')}\n` });
    const missing = runOurs(['-C', '/nonexistent', 'true'], dir);
    expect(missing).toMatchObject({ code: 111, stderr: 'chpst: fatal: unable to change directory: /nonexistent: file does not exist\n' });
  });
});

describe('names it is called by', () => {
  it('the npm-linked launchers in node_modules/.bin pick their personality (through the shebang)', () => {
    const dir = cleanup.tempDir();
    const env = { PATH: PLAIN_PATH };
    for (const [name, usage] of [
      ['envdir', 'usage: envdir dir child\n\n'],
      ['envuidgid', 'usage: envuidgid account child\n\n'],
      ['setuidgid', 'usage: setuidgid account child\n\n'],
      ['pgrphack', 'usage: pgrphack child\n\n'],
      ['setlock', 'usage: setlock [ -nNxX ] file program [ arg ... ]\n\n'],
    ] as const) {
      const outcome = run(join(WORKSPACE_BIN, name), [], { cwd: dir, env });
      expect(outcome, name).toMatchObject({ code: 100, stderr: usage });
    }
    const softlimit = run(join(WORKSPACE_BIN, 'softlimit'), [], { cwd: dir, env });
    expect(softlimit.stderr).toMatch(/^usage: softlimit \[-a allbytes\]/);
    const chpst = run(join(WORKSPACE_BIN, 'chpst'), [], { cwd: dir, env });
    expect(chpst.stderr).toMatch(/^usage: chpst \[-vVP012\]/);
  });

  it('a symlink of ours named like a personality, and a launcher run by its path', () => {
    const dir = cleanup.tempDir();
    // A link to the npm link of chpst: the name of the first link decides.
    const link = linkAs(dir, 'envdir', join(WORKSPACE_BIN, 'chpst'));
    expect(run(link, [], { cwd: dir, env: { PATH: PLAIN_PATH } })).toMatchObject({ code: 100, stderr: 'usage: envdir dir child\n\n' });
    const direct = run(ourLauncher('setuidgid'), [], { cwd: dir, viaSh: true });
    expect(direct).toMatchObject({ code: 100, stderr: 'usage: setuidgid account child\n\n' });
  });
});

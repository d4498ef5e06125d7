// Process-state calls, each run in a fresh Node child so the test process stays untouched.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireRoot, runNode } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'native-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session', () => {
  it('setsid makes a Node child a session leader, and fails with EPERM for a leader', () => {
    const out = runNode(`
      import { readFileSync } from 'node:fs';
      const ids = () => readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').slice(2, 4).map(Number);
      const [, before] = ids();
      const sid = n.setsid();
      const [pgrp, session] = ids();
      console.log(JSON.stringify({ changed: before !== sid, leader: sid === process.pid && session === sid, pgid: pgrp === process.pid }));
      try { n.setsid(); } catch (e) { console.log(e.code, e.syscall); }
    `);
    expect(out.stdout).toBe('{"changed":true,"leader":true,"pgid":true}\nEPERM setsid\n');
  });
});

describe('children', () => {
  it('hasChildren sees a running child and an unreaped one, and nothing once it is reaped', () => {
    const out = runNode(`
      import { readFileSync } from 'node:fs';
      const isZombie = (pid) => readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].startsWith('Z');
      const seen = [n.hasChildren()];
      const pid = n.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'exit 3'] });
      seen.push(n.hasChildren());
      // once the child is a zombie, hasChildren must still see it and leave it for the reaper
      while (!isZombie(pid)) {}
      seen.push(n.hasChildren(), isZombie(pid));
      n.reaper.watch(pid, (exit) => seen.push(exit.code));
      n.reaper.reap();
      seen.push(n.hasChildren());
      console.log(JSON.stringify(seen));
    `);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('[false,true,true,true,3,false]\n');
  });
});

describe('limits, ids, root, priority', () => {
  it('sets resource limits that the exec\'d program reads back', () => {
    const out = runNode(`
      n.setrlimit('NOFILE', { soft: 77, hard: 88 });
      n.setrlimit('CORE', { soft: 0, hard: Infinity });
      console.log(JSON.stringify(n.getrlimit('NOFILE')), n.getrlimit('CORE').hard);
      n.execve('/bin/sh', ['sh', '-c', 'grep -E "^Max (open files|core file size)" /proc/self/limits | tr -s " "']);
    `);
    expect(out.stdout).toBe(
      '{"soft":77,"hard":88} Infinity\nMax core file size 0 unlimited bytes \nMax open files 77 88 files \n',
    );
  });

  it('refuses a soft limit above the hard one with EINVAL', () => {
    const out = runNode(`try { n.setrlimit('NOFILE', { soft: 100, hard: 50 }); } catch (e) { console.log(e.code, e.syscall); }`);
    expect(out.stdout).toBe('EINVAL setrlimit\n');
  });

  it('switches groups, gid and uid in that order (root)', () => {
    requireRoot();
    const out = runNode(`
      n.setgroups([65534, 100]);
      n.setgid(65534);
      n.setuid(65534);
      n.execve('/usr/bin/id', ['id']);
    `);
    expect(out.stdout).toBe('uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup),100(users)\n');
    const denied = runNode(`n.setuid(65534); try { n.setuid(0); } catch (e) { console.log(e.code, e.syscall); }`);
    expect(denied.stdout).toBe('EPERM setuid\n');
  });

  it('chroots (root)', () => {
    requireRoot();
    const root = join(dir, 'root');
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'marker'), 'inside');
    copyFileSync('/bin/true', join(root, 'bin', 'true')); // not run; only proves the view changed
    const out = runNode(`
      import { readFileSync, existsSync } from 'node:fs';
      n.chroot(${JSON.stringify(root)});
      process.chdir('/');
      console.log(readFileSync('/marker', 'utf8'), existsSync('/etc/passwd'));
    `);
    expect(out.stdout).toBe('inside false\n');
  });

  it('changes the niceness', () => {
    const out = runNode(`console.log(n.nice(5), n.nice(2));`);
    expect(out.stdout).toBe('5 7\n');
  });
});

describe('execve', () => {
  it('keeps the pid, passes argv and env, and resets signals (Node ignores SIGPIPE)', () => {
    const out = runNode(`
      console.log(process.pid);
      n.execve('/bin/sh', ['sh', '-c', 'echo $$ $A; grep -E "^Sig(Blk|Ign)" /proc/self/status'], { A: 'b' });
    `);
    const [pidBefore, rest] = out.stdout.split('\n', 2);
    expect(rest).toBe(`${pidBefore} b`);
    expect(out.stdout.split('\n').slice(2).join('\n')).toBe('SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
  });

  it('throws when the exec fails and leaves Node working', () => {
    const out = runNode(`
      try { n.execve('/nonexistent', ['x']); } catch (e) { console.log(e.code, e.syscall, e.path); }
      process.on('SIGUSR2', () => { console.log('handler still there'); process.exit(0); });
      process.kill(process.pid, 'SIGUSR2');
      setInterval(() => {}, 1 << 30); // keeps Node up until the handler exits, however late it runs
    `);
    expect(out.stdout).toBe('ENOENT execve /nonexistent\nhandler still there\n');
  });
});

describe('strings with a NUL byte', () => {
  it('are refused with EINVAL naming the argument, not cut short at the NUL', () => {
    const out = runNode(`
      const cases = [
        () => n.execve('/bin/true', ['true', 'a\\0b'], []),
        () => n.execve('/bin/true', ['true'], ['A=1', 'B=x\\0y']),
        () => n.execve('/bin/tr\\0ue', ['true'], []),
        () => n.chroot('/\\0tmp'),
      ];
      for (const run of cases) {
        try { run(); } catch (e) { console.log(e.code, e.errno, e.syscall, '|', e.message); }
      }
    `);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(
      'EINVAL -22 execve | EINVAL: invalid argument, execve: argv[1] contains a NUL byte\n' +
        'EINVAL -22 execve | EINVAL: invalid argument, execve: env[1] contains a NUL byte\n' +
        'EINVAL -22 execve | EINVAL: invalid argument, execve: file contains a NUL byte\n' +
        'EINVAL -22 chroot | EINVAL: invalid argument, chroot: path contains a NUL byte\n',
    );
  });
});

describe('sync, reboot', () => {
  it('sync returns', () => {
    expect(runNode('n.sync(); console.log("synced")').stdout).toBe('synced\n');
  });

  it('reboot(POWER_OFF) as PID 1 of a namespace kills it with SIGINT, AUTOBOOT with SIGHUP (root)', () => {
    requireRoot();
    const run = (cmd: string) =>
      spawnSync('unshare', ['--pid', '--fork', '--kill-child', process.execPath, '--input-type=module', '-e',
        `import * as n from ${JSON.stringify(join(__dirname, '../dist/index.js'))};
         try { n.reboot(n.RB.DISABLE_CAD); } catch (e) { console.log(e.code, e.syscall); }
         n.reboot(n.RB.${cmd}); setTimeout(() => console.log('still alive'), 2000);`], { encoding: 'utf8' });
    const off = run('POWER_OFF');
    expect(off.stdout).toBe('EINVAL reboot\n');
    // unshare re-raises the signal that ended its child, PID 1 of the namespace.
    expect(off.signal).toBe('SIGINT');
    const reboot = run('AUTOBOOT');
    expect(reboot.signal).toBe('SIGHUP');
  });
});

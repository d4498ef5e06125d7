// spawn(): argv, env, cwd, fd map, session/group, default signal state, and errors that name the
// step that failed (vfork, setpgid, chdir, dup2, execve).
import { mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, openSync, closeSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isForkFailure, pipe, reaper, spawn, type ExitStatus } from '../lib/index.js';
import { CAP_SYS_RESOURCE, hasCapability } from '@runit-ts/test-support';
import { groupAndSession, procStatusField, requireRoot, runNode, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'native-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
reaper.start();

function run(options: Parameters<typeof spawn>[0]): Promise<ExitStatus> {
  return new Promise((resolve) => {
    const pid = spawn(options);
    reaper.watch(pid, resolve);
  });
}

function readAll(fd: number): string {
  return readAllBytes(fd).toString();
}

function readAllBytes(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(4096);
  for (;;) {
    const n = readSync(fd, buf);
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

describe('spawn', () => {
  it('passes argv, env and cwd, and maps fds', async () => {
    const [r, w] = pipe();
    const exit = await run({
      file: '/bin/sh',
      argv: ['/bin/sh', '-c', 'echo "$0 $FOO $(pwd)"', 'zero'],
      env: { FOO: 'bar', PATH: '/bin:/usr/bin' },
      cwd: dir,
      fds: [0, w, 2],
    });
    closeSync(w);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(readAll(r)).toBe(`zero bar ${dir}\n`);
    closeSync(r);
  });

  it('passes Buffers for file, argv, env and cwd byte for byte', async () => {
    const odd = Buffer.from([0x62, 0xff, 0x78]); // "b\xffx": not UTF-8
    const cwd = Buffer.concat([Buffer.from(`${dir}/`), odd]);
    mkdirSync(cwd);
    const [r, w] = pipe();
    const exit = await run({
      file: Buffer.from('/bin/sh'),
      argv: ['sh', '-c', 'printf "%s|%s|%s" "$1" "$V" "$(pwd)"', 'sh', odd],
      env: [Buffer.concat([Buffer.from('V='), odd]), 'PATH=/bin:/usr/bin'],
      cwd,
      fds: [0, w, 2],
    });
    closeSync(w);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(readAllBytes(r)).toEqual(Buffer.concat([odd, Buffer.from('|'), odd, Buffer.from('|'), cwd]));
    closeSync(r);
  });

  it('closes every fd not in the map', async () => {
    const [r, w] = pipe();
    const extra = openSync('/dev/null', 'r');
    const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'read x'], fds: [r, null, 2, extra] });
    const done = new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve));
    // the dynamic loader opens libraries on the lowest free fd (1 here) while sh starts: look once sh
    // waits in read(2) on fd 0
    await waitFor(() => (readFileSync(`/proc/${pid}/wchan`, 'utf8').includes('pipe_read') ? true : undefined));
    const childFds = readdirSync(`/proc/${pid}/fd`).map(Number).sort((a, b) => a - b);
    closeSync(w);
    closeSync(r);
    closeSync(extra);
    await done;
    expect(childFds).toEqual([0, 2, 3]);
  });

  it('handles a map whose sources are each other\'s targets', async () => {
    const [r1, w1] = pipe();
    const [r2, w2] = pipe();
    // child fd 3 <- w2 and fd 4 <- w1; writing to 3 must reach pipe 2.
    const exit = await run({ file: '/bin/sh', argv: ['sh', '-c', 'echo two >&3; echo one >&4'], fds: [0, 1, 2, w2, w1] });
    closeSync(w1);
    closeSync(w2);
    expect(exit.code).toBe(0);
    expect(readAll(r1)).toBe('one\n');
    expect(readAll(r2)).toBe('two\n');
    closeSync(r1);
    closeSync(r2);
  });

  it('resets every signal disposition and empties the mask (Node ignores SIGPIPE)', async () => {
    expect(BigInt(`0x${procStatusField('self', 'SigIgn')}`) & (1n << 12n)).not.toBe(0n); // SIGPIPE is 13
    const out = join(dir, 'sig');
    const exit = await run({ file: '/bin/sh', argv: ['sh', '-c', `grep -E '^Sig(Blk|Ign):' /proc/self/status > ${out}`] });
    expect(exit.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
  });

  it('starts a new session with setsid, or joins/creates a process group', async () => {
    const [r, w] = pipe();
    const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'read x'], setsid: true, fds: [r, 1, 2] });
    const done = new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve));
    expect(groupAndSession(pid)).toEqual({ pgrp: pid, session: pid });
    const pid2 = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'read x'], pgid: 0, fds: [r, 1, 2] });
    const done2 = new Promise<ExitStatus>((resolve) => reaper.watch(pid2, resolve));
    expect(groupAndSession(pid2)).toEqual({ pgrp: pid2, session: groupAndSession('self').session });
    const pid3 = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'read x'], pgid: pid2, fds: [r, 1, 2] });
    const done3 = new Promise<ExitStatus>((resolve) => reaper.watch(pid3, resolve));
    expect(groupAndSession(pid3).pgrp).toBe(pid2);
    closeSync(r);
    closeSync(w);
    await Promise.all([done, done2, done3]);
  });

  it('reports exec failures synchronously as execve errors with the file as path', () => {
    expect(() => spawn({ file: join(dir, 'missing') })).toThrow(
      expect.objectContaining({
        code: 'ENOENT',
        errno: -2,
        syscall: 'execve',
        path: join(dir, 'missing'),
        message: `ENOENT: no such file or directory, execve '${join(dir, 'missing')}'`,
      }),
    );
    const notExec = join(dir, 'not-exec');
    writeFileSync(notExec, '#!/bin/sh\n');
    chmodSync(notExec, 0o644);
    expect(() => spawn({ file: notExec })).toThrow(expect.objectContaining({ code: 'EACCES' }));
    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, '\x7fELF garbage that is not a program');
    chmodSync(garbage, 0o755);
    expect(() => spawn({ file: garbage })).toThrow(expect.objectContaining({ code: 'ENOEXEC', syscall: 'execve' }));
  });

  it('names the step that failed before the exec: setpgid, chdir (with the cwd), dup2', () => {
    const missing = join(dir, 'no-such-dir');
    expect(() => spawn({ file: '/bin/true', cwd: missing })).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'chdir', path: missing, message: `ENOENT: no such file or directory, chdir '${missing}'` }),
    );
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => spawn({ file: '/bin/true', cwd: file })).toThrow(expect.objectContaining({ code: 'ENOTDIR', syscall: 'chdir', path: file }));
    // fd 987654 is not open: the child's dup2 of it fails
    const badFd = (() => {
      try {
        spawn({ file: '/bin/true', fds: [0, 987654, 2] });
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
    })();
    expect(badFd).toMatchObject({ code: 'EBADF', syscall: 'dup2' });
    expect(badFd!.path).toBeUndefined();
    // pid 1's group is in another session: the child may not join it
    expect(() => spawn({ file: '/bin/true', pgid: 1 })).toThrow(expect.objectContaining({ code: 'EPERM', syscall: 'setpgid' }));
  });

  it('runs the child as another user, with its groups and umask (root)', async () => {
    requireRoot();
    const [r, w] = pipe();
    const exit = run({
      file: '/bin/sh',
      argv: ['sh', '-c', 'id -u; id -g; id -G; umask; grep -E "^(Uid|Gid):" /proc/self/status'],
      fds: [0, w, 2],
      user: { uid: 65534, gid: 65534, groups: [65534, 100] },
      umask: 0o027,
    });
    closeSync(w);
    expect((await exit).code).toBe(0);
    expect(readAll(r)).toBe('65534\n65534\n65534 100\n0027\nUid:\t65534\t65534\t65534\t65534\nGid:\t65534\t65534\t65534\t65534\n');
    closeSync(r);
    expect(() => spawn({ file: '/bin/true', user: { uid: -1, gid: 0, groups: [] } })).toThrow(TypeError);
  });

  it('refuses strings with a NUL byte with EINVAL naming them, before anything starts', () => {
    const refused = (options: Parameters<typeof spawn>[0]) => {
      try {
        spawn(options);
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        return `${e.code} ${e.syscall} | ${e.message}`;
      }
      return 'started';
    };
    expect(refused({ file: '/bin/true', argv: ['true', 'a\0b'] })).toBe('EINVAL execve | EINVAL: invalid argument, execve: argv[1] contains a NUL byte');
    expect(refused({ file: '/bin/true', env: ['A=1', 'B=x\0y'] })).toBe('EINVAL execve | EINVAL: invalid argument, execve: env[1] contains a NUL byte');
    expect(refused({ file: '/bin/true', env: { A: 'x\0y' } })).toBe('EINVAL execve | EINVAL: invalid argument, execve: env[0] contains a NUL byte');
    expect(refused({ file: '/bin/tr\0ue' })).toBe('EINVAL execve | EINVAL: invalid argument, execve: file contains a NUL byte');
    expect(refused({ file: '/bin/true', cwd: `${dir}\0x` })).toBe('EINVAL chdir | EINVAL: invalid argument, chdir: cwd contains a NUL byte');
  });

  it('isForkFailure: true when vfork fails (process limit of a non-root user), false for the child\'s failures (root)', () => {
    requireRoot();
    // Root is exempt from RLIMIT_NPROC: the Node child becomes nobody (after loading the addon) first.
    const out = runNode(`
      const report = (options) => {
        try { n.spawn(options); return 'started'; } catch (e) { return [e.code, e.syscall, n.isForkFailure(e)].join(' '); }
      };
      console.log(report({ file: '/nonexistent' }));
      console.log(report({ file: '/bin/true', cwd: '/nonexistent' }));
      n.setgroups([65534]);
      n.setgid(65534);
      n.setuid(65534);
      n.setrlimit('NPROC', { soft: 0, hard: 0 });
      console.log(report({ file: '/bin/true' }));
    `);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ENOENT execve false\nENOENT chdir false\nEAGAIN vfork true\n');
    expect(isForkFailure(new Error('not an errno error'))).toBe(false);
    expect(isForkFailure(undefined)).toBe(false);
  });

  it('sets the child\'s OOM score adjustment before its exec when asked, starts it anyway when that is refused', () => {
    requireRoot();
    // Raising one's own value is always allowed; going below 0 needs CAP_SYS_RESOURCE, which a
    // container's root may lack: the child whose value cannot be set keeps the inherited one.
    const mayLower = hasCapability(CAP_SYS_RESOURCE);
    const out = runNode(`
      const { readFileSync, readSync, writeFileSync } = await import('node:fs');
      writeFileSync('/proc/self/oom_score_adj', '600');
      const [r, w] = n.pipe();
      for (const extra of [{}, { oomScoreAdj: 0 }, { oomScoreAdj: 250 }, { oomScoreAdj: -5 }]) {
        n.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'cat /proc/self/oom_score_adj'], fds: [0, w, 2], ...extra });
        while (n.reaper.reap() === 0) {}
      }
      const buffer = Buffer.alloc(100);
      console.log(buffer.subarray(0, readSync(r, buffer)).toString().trim().split('\\n').join(' '));
      console.log(readFileSync('/proc/self/oom_score_adj', 'utf8').trim());
    `);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(`600 0 250 ${mayLower ? -5 : 600}\n600\n`);
    expect(() => spawn({ file: '/bin/true', oomScoreAdj: 1001 })).toThrow('option "oomScoreAdj" must be an integer from -1000 to 1000, got 1001 (number)');
  });

  it('maps its fds when the parent has no fd left: a source at the top of a full table becomes fd 1', () => {
    const out = runNode(`
      const { openSync, readSync } = await import('node:fs');
      n.setrlimit('NOFILE', { soft: 64, hard: n.getrlimit('NOFILE').hard });
      const [r, w] = n.pipe();
      const filler = [];
      try { for (;;) filler.push(openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
      // the write end, moved to the highest fd of the table
      const top = filler.pop();
      n.dup2(w, top);
      const pid = n.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'echo mapped; ulimit -n'], fds: [0, top, 2], fileLimit: 40 });
      while (n.reaper.reap() === 0) {}
      const buffer = Buffer.alloc(100);
      console.log(buffer.subarray(0, readSync(r, buffer)).toString().trim().split('\\n').join(' '));
    `);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('mapped 40\n');
  });

  it('searches PATH when asked', async () => {
    expect(await run({ file: 'true', search: true })).toMatchObject({ code: 0 });
    expect(() => spawn({ file: 'true' })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => spawn({ file: '' })).toThrow('option "file" must be a non-empty string or Buffer, got "" (string)');
    expect(() => spawn({ file: '/bin/true', fds: [0, -3] })).toThrow('option "fds[1]" must be a non-negative integer, got -3 (number)');
    expect(() => spawn({ file: '/bin/true', setsid: true, pgid: 0 })).toThrow(TypeError);
  });

  it('decodes signals and exit codes', async () => {
    expect(await run({ file: '/bin/sh', argv: ['sh', '-c', 'exit 3'] })).toMatchObject({ code: 3, signal: null, status: 3 << 8 });
    expect(await run({ file: '/bin/sh', argv: ['sh', '-c', 'kill -TERM $$'] })).toMatchObject({ code: null, signal: 15, status: 15 });
  });

  it('leaves no zombie behind', async () => {
    const pid = spawn({ file: '/bin/true' });
    const exit = await new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve));
    expect(exit.code).toBe(0);
    await waitFor(() => {
      try {
        readFileSync(`/proc/${pid}/status`);
        return false;
      } catch {
        return true;
      }
    });
  });
});

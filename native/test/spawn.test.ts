// spawn(): argv, env, cwd, fd map, session/group, default signal state, synchronous exec errors.
import { readdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, openSync, closeSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pipe, reaper, spawn, getpgid, getsid, type ExitStatus } from '../lib/index.js';
import { procStatusField, waitFor } from './helpers.js';

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
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(4096);
  for (;;) {
    const n = readSync(fd, buf);
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString();
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

  it('closes every fd not in the map', async () => {
    const [r, w] = pipe();
    const extra = openSync('/dev/null', 'r');
    const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'read x'], fds: [r, null, 2, extra] });
    const done = new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve));
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
    expect(getsid(pid)).toBe(pid);
    expect(getpgid(pid)).toBe(pid);
    const pid2 = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'read x'], pgid: 0, fds: [r, 1, 2] });
    const done2 = new Promise<ExitStatus>((resolve) => reaper.watch(pid2, resolve));
    expect(getpgid(pid2)).toBe(pid2);
    expect(getsid(pid2)).toBe(getsid(process.pid));
    const pid3 = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'read x'], pgid: pid2, fds: [r, 1, 2] });
    const done3 = new Promise<ExitStatus>((resolve) => reaper.watch(pid3, resolve));
    expect(getpgid(pid3)).toBe(pid2);
    closeSync(r);
    closeSync(w);
    await Promise.all([done, done2, done3]);
  });

  it('reports exec failures synchronously with their code', () => {
    expect(() => spawn({ file: join(dir, 'missing') })).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'spawn', path: join(dir, 'missing') }),
    );
    const notExec = join(dir, 'not-exec');
    writeFileSync(notExec, '#!/bin/sh\n');
    chmodSync(notExec, 0o644);
    expect(() => spawn({ file: notExec })).toThrow(expect.objectContaining({ code: 'EACCES' }));
    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, '\x7fELF garbage that is not a program');
    chmodSync(garbage, 0o755);
    expect(() => spawn({ file: garbage })).toThrow(expect.objectContaining({ code: 'ENOEXEC' }));
  });

  it('searches PATH when asked', async () => {
    expect(await run({ file: 'true', search: true })).toMatchObject({ code: 0 });
    expect(() => spawn({ file: 'true' })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => spawn({ file: '' })).toThrow('option "file" must be a non-empty string, got "" (string)');
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

// pipe, mkfifo, fd flags, O_PATH and flock.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, readSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  dup2, isNonBlocking, lockExclusive, mkfifo, O_PATH, pipe, setCloseOnExec, setNonBlocking, tryLockExclusive,
} from '../lib/index.js';
import { distIndex, isCloseOnExec, runNode, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'native-fd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pipe and fd flags', () => {
  it('makes a close-on-exec blocking pipe that carries bytes', () => {
    const [r, w] = pipe();
    expect(isCloseOnExec(r) && isCloseOnExec(w)).toBe(true);
    expect(isNonBlocking(r) || isNonBlocking(w)).toBe(false);
    writeSync(w, 'abc');
    const buf = Buffer.alloc(3);
    expect(readSync(r, buf)).toBe(3);
    expect(buf.toString()).toBe('abc');
    setNonBlocking(r, true);
    expect(isNonBlocking(r)).toBe(true);
    expect(() => readSync(r, buf)).toThrow(expect.objectContaining({ code: 'EAGAIN' }));
    setNonBlocking(r, false);
    setCloseOnExec(w, false);
    expect(isCloseOnExec(w)).toBe(false);
    closeSync(r);
    closeSync(w);
  });

  it('dup2 makes an fd that is inherited across exec', () => {
    const fd = openSync('/dev/null', 'r');
    expect(isCloseOnExec(fd)).toBe(true);
    const target = fd + 10;
    dup2(fd, target);
    expect(isCloseOnExec(target)).toBe(false);
    [fd, target].forEach((f) => closeSync(f));
  });

  it('O_PATH is the kernel\'s: an fd that resolves paths but reads nothing', () => {
    const fd = openSync(dir, O_PATH | constants.O_DIRECTORY);
    try {
      const flags = parseInt(/^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8);
      expect(flags & O_PATH).toBe(O_PATH);
      expect(existsSync(`/proc/self/fd/${fd}/control`)).toBe(existsSync(join(dir, 'control')));
      expect(() => readSync(fd, Buffer.alloc(1))).toThrow(expect.objectContaining({ code: 'EBADF' }));
    } finally {
      closeSync(fd);
    }
  });

  it('creates a FIFO with the mode asked for, and refuses to replace a file', () => {
    const fifo = join(dir, 'control');
    const old = process.umask(0);
    try {
      mkfifo(fifo, 0o600);
    } finally {
      process.umask(old);
    }
    const st = statSync(fifo);
    expect(st.isFIFO()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect(() => mkfifo(fifo)).toThrow(expect.objectContaining({ code: 'EEXIST', syscall: 'mkfifo', path: fifo }));
    // A FIFO opened for read and write, non-blocking, never blocks a writer: runsv's trick.
    const rd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const wr = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(wr, 'u');
    const buf = Buffer.alloc(1);
    expect(readSync(rd, buf)).toBe(1);
    closeSync(rd);
    closeSync(wr);
    // Without a reader, a non-blocking writer gets ENXIO: how sv tells that runsv is not running.
    expect(() => openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)).toThrow(expect.objectContaining({ code: 'ENXIO' }));
  });

  it('refuses a path with a NUL byte with EINVAL instead of creating the part before it', () => {
    const cut = join(dir, 'cut');
    expect(() => mkfifo(`${cut}\0rest`)).toThrow(
      expect.objectContaining({ code: 'EINVAL', syscall: 'mkfifo', message: 'EINVAL: invalid argument, mkfifo: path contains a NUL byte' }),
    );
    expect(existsSync(cut)).toBe(false);
  });
});

describe('flock', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => cleanup.splice(0).forEach((close) => close()));
  const lockFile = join(dir, 'lock');
  const openLock = () => openSync(lockFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o600);

  it('excludes another process until released', () => {
    const fd = openLock();
    expect(tryLockExclusive(fd)).toBe(true);
    const probe = `
      import { openSync, constants } from 'node:fs';
      const fd = openSync(${JSON.stringify(lockFile)}, constants.O_WRONLY | constants.O_APPEND);
      console.log(n.tryLockExclusive(fd));
    `;
    const held = runNode(probe);
    expect(held.stderr).toBe('');
    expect(held.stdout).toBe('false\n');
    closeSync(fd); // the lock goes with its last fd
    expect(runNode(probe).stdout).toBe('true\n');
  });

  it('lockExclusive waits for the holder, and never for a lock its own open file holds', async () => {
    const holder = openLock();
    let held = true;
    cleanup.push(() => held && closeSync(holder));
    expect(tryLockExclusive(holder)).toBe(true);
    lockExclusive(holder); // re-locking through the same open file description never waits
    const script = `import * as n from ${JSON.stringify(distIndex)};
      import { openSync, constants } from 'node:fs';
      n.lockExclusive(openSync(${JSON.stringify(lockFile)}, constants.O_WRONLY | constants.O_APPEND));
      console.log('locked');`;
    const waiter = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.push(() => waiter.kill('SIGKILL'));
    let output = '';
    waiter.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => waiter.on('exit', resolve));
    // /proc/locks lists a blocked waiter as "N: -> FLOCK ... PID ..."
    await waitFor(() => readFileSync('/proc/locks', 'utf8').split('\n').some((line) => line.includes('->') && line.includes(` ${waiter.pid} `)), 10_000);
    expect(output).toBe('');
    closeSync(holder);
    held = false;
    await exited;
    expect(output).toBe('locked\n');
  });

  it('reports a failed flock as an errno error', () => {
    expect(() => lockExclusive(987654)).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'flock' }));
  });
});

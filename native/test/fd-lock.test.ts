// pipe, mkfifo, fd flags and flock.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync, readSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  dup, dup2, isCloseOnExec, isNonBlocking, lockExclusive, lockExclusiveAsync, mkfifo, pipe, setCloseOnExec,
  setNonBlocking, tryLockExclusive, unlock,
} from '../lib/index.js';
import { runNode } from './helpers.js';

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

  it('dups with and without close-on-exec', () => {
    const fd = openSync('/dev/null', 'r');
    const copy = dup(fd);
    expect(copy).toBeGreaterThanOrEqual(3);
    expect(isCloseOnExec(copy)).toBe(true);
    const target = copy + 10;
    dup2(fd, target);
    expect(isCloseOnExec(target)).toBe(false);
    [fd, copy, target].forEach((f) => closeSync(f));
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
});

describe('flock', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => cleanup.splice(0).forEach((close) => close()));
  const lockFile = join(dir, 'lock');
  const openLock = () => openSync(lockFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o600);

  it('excludes another process until released', () => {
    const fd = openLock();
    cleanup.push(() => closeSync(fd));
    expect(tryLockExclusive(fd)).toBe(true);
    const probe = `
      import { openSync, constants } from 'node:fs';
      const fd = openSync(${JSON.stringify(lockFile)}, constants.O_WRONLY | constants.O_APPEND);
      console.log(n.tryLockExclusive(fd));
    `;
    const held = runNode(probe);
    expect(held.stderr).toBe('');
    expect(held.stdout).toBe('false\n');
    unlock(fd);
    expect(runNode(probe).stdout).toBe('true\n');
  });

  it('waits on a worker thread without blocking the event loop', async () => {
    const holder = openLock();
    cleanup.push(() => closeSync(holder));
    expect(tryLockExclusive(holder)).toBe(true);
    lockExclusive(holder); // re-locking through the same open file description never waits
    const waiter = openLock();
    cleanup.push(() => closeSync(waiter));
    let acquired = false;
    const pending = lockExclusiveAsync(waiter).then(() => (acquired = true));
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ticks++;
        if (ticks === 5) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    expect(acquired).toBe(false);
    unlock(holder);
    await pending;
    expect(acquired).toBe(true);
  });

  it('rejects lockExclusiveAsync with an errno error', async () => {
    await expect(lockExclusiveAsync(987654)).rejects.toMatchObject({ code: 'EBADF', syscall: 'flock' });
  });
});

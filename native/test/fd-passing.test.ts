// socketPair, sendFds and receiveFds: fds cross from one process to another, and the receiver knows
// which process sent them.
import { closeSync, fstatSync, readSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pipe, reaper, receiveFds, sendFds, socketPair, spawn, type ExitStatus } from '../lib/index.js';
import { distIndex, isCloseOnExec, waitFor } from './helpers.js';

reaper.start();

describe('fd passing', () => {
  it('carries bytes and fds, says who sent them, and refuses a peer that is not the expected process', () => {
    const [receiving, sending] = socketPair();
    const [r, w] = pipe();
    try {
      expect(receiveFds(receiving)).toBeUndefined(); // nothing yet, and no blocking
      expect(() => sendFds(sending, Buffer.from('x'), [], 1)).toThrow(expect.objectContaining({ code: 'EPERM' }));
      sendFds(sending, Buffer.from('hello'), [w], process.pid);
      const message = receiveFds(receiving)!;
      expect(message.data.toString()).toBe('hello');
      expect(message.sender).toEqual({ pid: process.pid, uid: process.getuid!(), gid: process.getgid!() });
      expect(message.fds).toHaveLength(1);
      const [received] = message.fds as [number];
      expect(received).not.toBe(w);
      expect(isCloseOnExec(received)).toBe(true);
      expect(fstatSync(received).ino).toBe(fstatSync(w).ino);
      writeSync(received, 'through the copy');
      closeSync(received);
      const buf = Buffer.alloc(64);
      expect(buf.subarray(0, readSync(r, buf)).toString()).toBe('through the copy');
      closeSync(sending);
      expect(receiveFds(receiving)).toBeNull(); // the peer is gone: end of file
    } finally {
      for (const fd of [receiving, r, w]) closeSync(fd);
    }
  });

  it('receives from a child the fds it had, with the child’s pid as the sender', async () => {
    const [receiving, sending] = socketPair();
    const [r, w] = pipe();
    // the child gets the pipe's read end as its stdin and the sending end as fd 3, and passes its stdin back
    const code = `import * as n from ${JSON.stringify(distIndex)};
      n.sendFds(3, Buffer.from(JSON.stringify({ from: process.pid })), [0], process.ppid);`;
    const pid = spawn({ file: process.execPath, argv: [process.execPath, '--input-type=module', '-e', code], fds: [r, 1, 2, sending] });
    const exit = new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve));
    closeSync(sending);
    closeSync(r);
    try {
      expect((await exit).code).toBe(0);
      const message = await waitFor(() => receiveFds(receiving));
      expect(JSON.parse(message!.data.toString())).toEqual({ from: pid });
      expect(message!.sender.pid).toBe(pid);
      const [stdin] = message!.fds as [number];
      writeSync(w, 'kept');
      const buf = Buffer.alloc(16);
      expect(buf.subarray(0, readSync(stdin, buf)).toString()).toBe('kept');
      closeSync(stdin);
    } finally {
      closeSync(receiving);
      closeSync(w);
    }
  });
});

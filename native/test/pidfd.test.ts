// pidfd_open, pidfd_send_signal and the exit poll of pidfds, and the subreaper flag: orphans below a
// subreaper become its children and their exits are reaped there.
import { closeSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pidfdOpen, pidfdSignal, pidfdsExited, reaper, spawn, type ExitStatus } from '../lib/index.js';
import { runNode } from './helpers.js';

reaper.start();
const opened: number[] = [];
afterEach(() => {
  for (const fd of opened.splice(0)) closeSync(fd);
});

function start(script: string): { pid: number; exited: Promise<ExitStatus> } {
  const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', script] });
  return { pid, exited: new Promise((resolve) => reaper.watch(pid, resolve)) };
}

const pidfd = (pid: number): number => {
  const fd = pidfdOpen(pid);
  opened.push(fd);
  return fd;
};

describe('pidfd', () => {
  it('watches and signals a process: not exited while it runs, exited once it has, ESRCH after it is reaped', async () => {
    const a = start('exec sleep 30');
    const b = start('exec sleep 30');
    const [fdA, fdB] = [pidfd(a.pid), pidfd(b.pid)];
    expect(pidfdsExited([fdA, fdB])).toEqual([false, false]);
    pidfdSignal(fdA, 'SIGTERM');
    expect(await a.exited).toMatchObject({ signal: 15 });
    expect(pidfdsExited([fdA, fdB])).toEqual([true, false]);
    expect(() => pidfdSignal(fdA, 'SIGTERM')).toThrow(expect.objectContaining({ code: 'ESRCH', syscall: 'pidfd_send_signal' }));
    expect(() => pidfdOpen(a.pid)).toThrow(expect.objectContaining({ code: 'ESRCH', syscall: 'pidfd_open' }));
    pidfdSignal(fdB, 'SIGKILL');
    expect(await b.exited).toMatchObject({ signal: 9 });
  });

  it('opens a zombie: it has exited but is not reaped yet', () => {
    const pid = spawn({ file: '/bin/true' });
    reaper.watch(pid, () => undefined);
    // not reaped until this synchronous test returns to the event loop
    for (;;) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) break;
    }
    expect(pidfdsExited([pidfd(pid)])).toEqual([true]);
  });
});

describe('setChildSubreaper', () => {
  it('makes an orphan below this process its child: its exit is reaped here', () => {
    // in a Node child: the flag stays for that process's life
    const out = runNode(`
      n.setChildSubreaper();
      n.reaper.start();
      const [r, w] = n.pipe();
      const shell = n.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'sleep 30 & echo $!'], fds: [0, w, 2] });
      const buffer = Buffer.alloc(32);
      const orphan = Number(buffer.subarray(0, (await import('node:fs')).readSync(r, buffer)).toString());
      n.reaper.watch(shell, () => undefined);
      const seen = [];
      n.reaper.onOrphan((exit) => {
        seen.push(exit.pid === orphan ? 'orphan ' + exit.signal : 'other');
        console.log(seen.join(','));
        process.exit(0);
      });
      const { readFileSync } = await import('node:fs');
      const parentOf = (pid) => { const s = readFileSync('/proc/' + pid + '/stat', 'utf8'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]); };
      const wait = () => new Promise((resolve) => setTimeout(resolve, 10));
      while (parentOf(orphan) !== process.pid) await wait();
      console.log('parent is this process');
      // the shell is reaped by now: without a timer, nothing would keep Node running until the orphan's exit
      setInterval(() => undefined, 1000);
      process.kill(orphan, 'SIGTERM');
    `);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('parent is this process\norphan 15\n');
  });
});

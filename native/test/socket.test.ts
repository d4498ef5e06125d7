// AF_UNIX datagram sockets and readable watches: what the sd_notify bridge is made of, with real
// senders (systemd-notify from Debian's systemd package, and python3's socket module).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bindDatagramSocket, receiveDatagram, watchReadable, type Datagram } from '../lib/index.js';

const dir = mkdtempSync(join(tmpdir(), 'native-socket-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let names = 0;
const abstractName = (): string => `@runit-ts-test/${process.pid}/${names++}`;

/**
 * Sends one datagram with python3 (present wherever the addon is built: node-gyp needs it), with the
 * file `passFile` opened and passed along (SCM_RIGHTS) when given.
 */
function pythonSend(path: string, text: string, passFile?: string): number {
  const address = path.startsWith('@') ? `'\\0' + ${JSON.stringify(path.slice(1))}` : JSON.stringify(path);
  const code = [
    'import array, os, socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    passFile === undefined
      ? `s.sendto(sys.argv[1].encode(), ${address})`
      : `s.sendmsg([sys.argv[1].encode()], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [os.open(${JSON.stringify(passFile)}, os.O_RDONLY)]).tobytes())], 0, ${address})`,
    'print(os.getpid())',
  ].join('\n');
  const result = spawnSync('python3', ['-c', code, text], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

/** Resolves with the next datagram, woken by the watch (no polling); the watch ends either way. */
function nextDatagram(fd: number, timeoutMs = 10_000): Promise<Datagram> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      watch.stop();
    };
    const timer = setTimeout(() => (done(), reject(new Error('no datagram came'))), timeoutMs);
    const watch = watchReadable(fd, (error) => {
      if (error) return done(), reject(error);
      const got = receiveDatagram(fd);
      if (got !== undefined) done(), resolve(got);
    });
  });
}

/** Runs a program to its end without blocking the event loop (the watch must be served meanwhile). */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('datagram sockets', () => {
  it('binds an abstract name and receives a datagram with its sender credentials', async () => {
    const name = abstractName();
    const fd = bindDatagramSocket(name);
    try {
      expect(receiveDatagram(fd)).toBeUndefined(); // nothing queued: no wait, no error
      const sender = pythonSend(name, 'READY=1\nSTATUS=up');
      const got = receiveDatagram(fd)!;
      expect(got.data.toString()).toBe('READY=1\nSTATUS=up');
      expect(got).toMatchObject({ pid: sender, uid: process.getuid!(), gid: process.getgid!() });
    } finally {
      closeSync(fd);
    }
  });

  it('is woken by libuv when a datagram arrives: systemd-notify --ready, and its barrier', async () => {
    const name = abstractName();
    const fd = bindDatagramSocket(name);
    try {
      const notify = run('systemd-notify', ['--ready'], { ...process.env, NOTIFY_SOCKET: name });
      expect((await nextDatagram(fd)).data.toString()).toContain('READY=1');
      // then BARRIER=1 with a pipe's write end: closing it (receiveDatagram does) lets systemd-notify go
      expect((await nextDatagram(fd)).data.toString()).toContain('BARRIER=1');
      expect(await notify).toEqual({ code: 0, stderr: '' });
    } finally {
      closeSync(fd);
    }
  });

  it('binds a path (a socket file) as well', () => {
    const path = join(dir, 'notify');
    const fd = bindDatagramSocket(path);
    try {
      expect(statSync(path).isSocket()).toBe(true);
      pythonSend(path, 'READY=1');
      expect(receiveDatagram(fd)!.data.toString()).toBe('READY=1');
    } finally {
      closeSync(fd);
    }
  });

  it('cuts a datagram longer than asked for, and closes descriptors passed with one', () => {
    const name = abstractName();
    const fd = bindDatagramSocket(name);
    const passed = join(dir, 'passed-along');
    writeFileSync(passed, '');
    try {
      pythonSend(name, 'READY=1', passed);
      expect(receiveDatagram(fd, 5)!.data.toString()).toBe('READY');
      expect(openFiles()).not.toContain(passed);
    } finally {
      closeSync(fd);
    }
  });

  it('throws fs-style errors: a name in use, a path too long, a missing directory', () => {
    const name = abstractName();
    const fd = bindDatagramSocket(name);
    try {
      expect(() => bindDatagramSocket(name)).toThrow(expect.objectContaining({ code: 'EADDRINUSE', syscall: 'bind', path: name }));
    } finally {
      closeSync(fd);
    }
    expect(() => bindDatagramSocket(`/${'x'.repeat(120)}`)).toThrow(expect.objectContaining({ code: 'ENAMETOOLONG', syscall: 'bind' }));
    expect(() => bindDatagramSocket(join(dir, 'missing', 'notify'))).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'bind' }));
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('stops watching on request, and a stopped watch can be stopped again', async () => {
    const name = abstractName();
    const fd = bindDatagramSocket(name);
    let calls = 0;
    const watch = watchReadable(fd, () => calls++);
    watch.stop();
    watch.stop();
    pythonSend(name, 'READY=1');
    const arrived = await nextDatagram(fd); // a second watch sees it; the stopped one never did
    expect(arrived.data.toString()).toBe('READY=1');
    expect(calls).toBe(0); // the datagram was queued before the second watch started
    closeSync(fd);
  });
});

/** What this process's fds point at. */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // the directory's own fd, closed by now
    }
  });
}

// svlogd offered a service host's hand-off (runsvdir's host offers it to log/run): it takes its dirs'
// locks with its own rights, sends its stdin, stderr, working directory and locks, and exits without
// reading; when the offer does not fit, it runs as ever. Then HostedSvlogd, the host's side, writes what
// was handed over. The offered svlogd is a child of this test (addon spawn and reaper), as
// log/run is a child of the host.
import { chmodSync, chownSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, statSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pipe, reaper, receiveFds, socketPair, spawn, tryLockExclusive, type ExitStatus, type SpawnUser } from '@runit-ts/native';
import { Cleanup, commandForNobody, NOBODY, nodeDirForNobody, referenceBinary, requireRoot, waitFor } from '@runit-ts/test-support';
import { decodeMessage, HAND_OFF_VARIABLE, HOSTED_LINE_MAX, HostedSvlogd } from '../src/index.js';
import { makeLogDir, modeOf, ourCommand, randomInput, readLogDir, runSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
reaper.start();

interface Run {
  pid: number;
  exit: Promise<ExitStatus>;
  /** The socket's receiving end (the host's). */
  socket: number;
  /** The write end of svlogd's stdin. */
  input: number;
  /** The read end of svlogd's stderr. */
  stderrRead: number;
  /** Everything svlogd wrote to stderr, once it has exited (and every copy of its stderr is closed). */
  stderr(): Promise<string>;
}

function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(4096);
  for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) chunks.push(Buffer.from(buf.subarray(0, n)));
  return Buffer.concat(chunks).toString('latin1');
}

interface Offered {
  cwd: string;
  /** Start svlogd through this (e.g. `sh -c '… svlogd …; :'`) instead of directly. */
  wrap?: (svlogd: string) => string[];
  command?: string;
  /** The inode the offer names (default: the inode of svlogd's stdin, as the host would). */
  inode?: number;
  user?: SpawnUser;
  offer?: boolean;
  path?: string;
}

function startOffered(args: string[], options: Offered): Run {
  const command = options.command ?? ourCommand();
  const [stdinRead, input] = pipe();
  const [errRead, errWrite] = pipe();
  const [socket, sending] = socketPair();
  const inode = options.inode ?? fstatSync(stdinRead).ino;
  const env: NodeJS.ProcessEnv = { PATH: options.path ?? process.env.PATH };
  if (options.offer !== false) env[HAND_OFF_VARIABLE] = `3:${process.pid}:${inode}`;
  const argv = options.wrap ? options.wrap(command) : [command, ...args];
  const pid = spawn({ file: argv[0]!, argv, env, cwd: options.cwd, fds: [stdinRead, 1, errWrite, sending], ...(options.user ? { user: options.user } : {}) });
  cleanup.killLater(pid);
  const exit = new Promise<ExitStatus>((resolve) => reaper.watch(pid, resolve));
  for (const fd of [stdinRead, errWrite, sending]) closeSync(fd);
  cleanup.add(() => {
    for (const fd of [socket, input, errRead]) {
      try {
        closeSync(fd);
      } catch {
        // closed by the test
      }
    }
  });
  return { pid, exit, socket, input, stderrRead: errRead, stderr: async () => (await exit, readAll(errRead)) };
}

describe('svlogd offered a hand-off', () => {
  it('sends its stdin, stderr, cwd and locks to the host and exits 0 without reading a byte', async () => {
    const base = cleanup.tempDir('hand-off-');
    makeLogDir(base, 'main');
    const run = startOffered(['-tt', 'main', 'missing'], { cwd: base });
    writeSync(run.input, 'waits in the pipe\n');
    expect((await run.exit).code).toBe(0);
    // taken first: the stderr it carries keeps the pipe open while the message waits in the socket
    const message = receiveFds(run.socket)!;
    expect(message.sender.pid).toBe(run.pid);
    const decoded = decodeMessage(message.data)!;
    expect(decoded).toMatchObject({ argv: ['-tt', 'main', 'missing'], locked: [true, false] });
    expect(decoded.env.some((entry) => entry.startsWith(`${HAND_OFF_VARIABLE}=`))).toBe(false);
    expect(decoded.env).toContain(`PATH=${process.env.PATH}`);
    const [stdin, stderr, cwd, lock] = message.fds as [number, number, number, number];
    expect(message.fds).toHaveLength(4);
    try {
      const buf = Buffer.alloc(64);
      expect(buf.subarray(0, readSync(stdin, buf)).toString()).toBe('waits in the pipe\n');
      expect(fstatSync(stderr).ino).toBe(fstatSync(run.stderrRead).ino);
      closeSync(stderr);
      expect(await run.stderr()).toBe('svlogd: warning: unable to open log directory: missing: file does not exist\n');
      expect(fstatSync(cwd).ino).toBe(statSync(base).ino);
      // the lock svlogd took is held by the fd it passed on, and by nothing else once that is closed
      const again = openSync(join(base, 'main', 'lock'), constants.O_WRONLY);
      expect(tryLockExclusive(again)).toBe(false);
      closeSync(lock);
      expect(tryLockExclusive(again)).toBe(true);
      closeSync(again);
      expect(existsSync(join(base, 'main', 'current'))).toBe(false); // the host writes it
    } finally {
      for (const fd of [stdin, cwd]) closeSync(fd);
    }
  });

  const stays: Array<[string, string[], Partial<Offered>]> = [
    ['its stdin is not the pipe the offer names', ['main'], { inode: 1 }],
    [`its lines are longer than the host takes (-l > ${HOSTED_LINE_MAX})`, ['-l', String(HOSTED_LINE_MAX + 1), '-b', String(HOSTED_LINE_MAX + 2), 'main'], {}],
    ['it is not the log service’s own process (log/run runs it without exec)', ['main'], { wrap: (svlogd) => ['/bin/sh', '-c', `${svlogd} main; :`] }],
  ];
  it.each(stays)('runs as a process of its own when %s', async (_, args, options) => {
    const base = cleanup.tempDir('hand-off-');
    const dir = makeLogDir(base, 'main');
    const run = startOffered(args, { cwd: base, ...options });
    writeSync(run.input, 'logged by svlogd itself\n');
    await waitFor(() => existsSync(join(dir, 'current')) && statSync(join(dir, 'current')).size > 0, 'the line in current');
    closeSync(run.input);
    expect((await run.exit).code).toBe(0);
    expect(await run.stderr()).toBe('');
    expect(receiveFds(run.socket)).toBeNull(); // closed without a message
  });

  it('refuses a dir only root may write when run as nobody, exactly as runit’s svlogd does (root)', async () => {
    requireRoot();
    const base = cleanup.tempDir('hand-off-');
    chmodSync(base, 0o755);
    mkdirSync(join(base, 'main'), { mode: 0o755 }); // root's
    const nobody = { uid: NOBODY, gid: NOBODY, groups: [NOBODY] };
    const path = `${nodeDirForNobody(cleanup)}:/usr/bin:/bin`;
    const ours = startOffered(['-tt', 'main'], { cwd: base, user: nobody, path, command: commandForNobody(cleanup, ourCommand()) });
    const theirs = startOffered(['-tt', 'main'], { cwd: base, user: nobody, command: commandForNobody(cleanup, referenceBinary('svlogd')), offer: false });
    const [oursExit, theirsExit] = [await ours.exit, await theirs.exit];
    expect(oursExit.code).toBe(111);
    expect(theirsExit.code).toBe(111);
    const oursStderr = await ours.stderr();
    expect(oursStderr).toBe(await theirs.stderr());
    expect(oursStderr).toBe('svlogd: warning: unable to lock directory: main: access denied\nsvlogd: fatal: no functional log directories.\n');
    expect(receiveFds(ours.socket)).toBeNull();
    expect(existsSync(join(base, 'main', 'lock'))).toBe(false);
  });
});

describe('the host writing what svlogd handed it', () => {
  /** Starts our svlogd with the offer, takes its message and hosts it in this process. */
  async function hosted(args: string[], options: Offered): Promise<{ run: Run; host: HostedSvlogd }> {
    const run = startOffered(args, options);
    expect((await run.exit).code).toBe(0);
    const message = receiveFds(run.socket)!;
    expect(message).toBeTruthy();
    return { run, host: new HostedSvlogd(message, [message.sender.gid]) };
  }

  it('writes byte for byte what svlogd itself writes: options, config, rotation by size, and a last line without its newline', async () => {
    const base = cleanup.tempDir('hand-off-');
    const config = 's2000\nn20\n-*skip*\n';
    const input = Buffer.concat([randomInput(17, 300, 120), Buffer.from('a last line with no newline')]);
    const args = ['-l', '90', '-r', '_', '-R', 'xyz'];
    makeLogDir(base, 'hosted', config);
    const alone = makeLogDir(base, 'alone', config);
    const { run, host } = await hosted([...args, 'hosted'], { cwd: base });
    writeSync(run.input, input);
    closeSync(run.input);
    expect(await host.exited).toBe(0);
    const standalone = await runSvlogd(ourCommand(), [...args, alone], input, cleanup);
    expect(standalone.code).toBe(0);
    const [ours, theirs] = [readLogDir(join(base, 'hosted')), readLogDir(alone)];
    expect(ours.old.length).toBeGreaterThan(3);
    expect(ours.types).toEqual(theirs.types);
    expect(ours.all.equals(theirs.all)).toBe(true);
    expect(modeOf(join(base, 'hosted', 'current'))).toBe(modeOf(join(alone, 'current')));
  });

  it('rotates on alarm(), and on term() reads to the end of the line in progress before it stops', async () => {
    const base = cleanup.tempDir('hand-off-');
    const dir = makeLogDir(base, 'main');
    const { run, host } = await hosted(['main'], { cwd: base });
    writeSync(run.input, 'first\n');
    await waitFor(() => readLogDir(dir).current.toString() === 'first\n', 'the first line in current');
    host.alarm();
    await waitFor(() => readLogDir(dir).old.length === 1, 'a rotated file');
    writeSync(run.input, 'second\nthird, in two wri'); // one read: term() comes in the middle of a line
    await waitFor(() => readLogDir(dir).current.toString().startsWith('second\n'), 'the second line in current');
    host.term();
    writeSync(run.input, 'tes\nleft in the pipe\n');
    expect(await host.exited).toBe(0);
    const contents = readLogDir(dir);
    expect(contents.types).toEqual(['s']);
    expect(contents.all.toString()).toBe('first\nsecond\nthird, in two writes\n');
    expect(modeOf(join(dir, 'current'))).toBe(0o744);
  });

  it('creates the files as svlogd’s user, where root writes them for it (root)', async () => {
    requireRoot();
    const base = cleanup.tempDir('hand-off-');
    chmodSync(base, 0o755);
    const dir = makeLogDir(base, 'main', 's100\n');
    chownSync(dir, NOBODY, NOBODY);
    const nobody = { uid: NOBODY, gid: NOBODY, groups: [NOBODY] };
    const path = `${nodeDirForNobody(cleanup)}:/usr/bin:/bin`;
    const { run, host } = await hosted(['main'], { cwd: base, user: nobody, path, command: commandForNobody(cleanup, ourCommand()) });
    writeSync(run.input, 'x'.repeat(79) + '\n' + 'y'.repeat(79) + '\n');
    closeSync(run.input);
    expect(await host.exited).toBe(0);
    const names = readdirSync(dir);
    expect(names.some((name) => name.startsWith('@'))).toBe(true);
    for (const name of names.filter((name) => name !== 'config')) {
      const stat = statSync(join(dir, name));
      expect([name, stat.uid, stat.gid]).toEqual([name, NOBODY, NOBODY]);
    }
  });
});

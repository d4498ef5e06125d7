// The service host in this process, spoken to over its two pipes as runsvdir speaks to it: starts
// that fail at every step, hosted logs included, leave no fd and no log-dir lock behind.
// Uses the reaper, so no child_process here.
import { closeSync, constants, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getrlimit, pipe, setrlimit, tryLockExclusive } from '@runit-ts/native';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { encodeLine, readLines, type HostEvent } from '../src/host-protocol.js';
import { HostedLog, readHostedLog } from '../src/hosted-log.js';
import { ServiceHost } from '../src/service-host.js';
import { makeService, textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const openFds = (): number => readdirSync('/proc/self/fd').length;

/** A service host on pipes, as runsvdir runs it; `start` resolves with the code runsvdir hears. */
function serviceHost(root: string, env: NodeJS.ProcessEnv = {}) {
  const stderrPath = join(root, 'host.stderr');
  const stderrFd = openSync(stderrPath, 'a');
  const [commandsRead, commandsWrite] = pipe();
  const [eventsRead, eventsWrite] = pipe();
  let done = false;
  const saved = { ...process.env };
  Object.assign(process.env, env); // the host reads RUNIT_TS_LOG_FORMAT as it starts
  let obeyed = 0;
  const host = new ServiceHost({ newSession: false, stderrFd, commandsFd: commandsRead, eventsFd: eventsWrite, done: () => (done = true), obeyed: () => obeyed++ });
  for (const name of Object.keys(env)) if (saved[name] === undefined) delete process.env[name];
  Object.assign(process.env, saved);
  const ended = new Map<number, number>();
  const events = new Socket({ fd: eventsRead, readable: true, writable: false });
  readLines<HostEvent>(events, (event) => ended.set(event.id, event.code), () => undefined);
  cleanup.add(async () => {
    host.terminateAll();
    await waitFor(() => done, 'the host done');
    closeSync(commandsWrite); // the host's read end closes with its socket
    events.destroy();
    closeSync(eventsWrite);
    closeSync(stderrFd);
  });
  let nextId = 1;
  return {
    stderr: () => readFileSync(stderrPath, 'utf8'),
    /** Commands the host has carried out (a start: hosted log opened, supervisor set going). */
    obeyed: () => obeyed,
    start(name: string, dir: string): Promise<number> {
      const id = nextId++;
      writeSync(commandsWrite, encodeLine({ op: 'start', id, name, dir }));
      return waitFor(() => ended.get(id), `${name} (${id}) to end`);
    },
  };
}

/** A service with a hosted log in ./main whose own start fails (supervise is a plain file). */
function failingHostedService(root: string, name: string): string {
  const dir = makeService(root, name);
  mkdirSync(join(dir, 'main'));
  writeFileSync(join(dir, 'hosted-log'), './main\n');
  writeFileSync(join(dir, 'supervise'), '');
  return dir;
}

/** True when nobody holds the log dir's lock (flock conflicts across open files, in one process too). */
function lockIsFree(logDir: string): boolean {
  const fd = openSync(join(logDir, 'lock'), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
  try {
    return tryLockExclusive(fd);
  } finally {
    closeSync(fd);
  }
}

describe('service host: failed starts leave nothing behind', () => {
  it('a start that fails after its hosted log opened: 100 times, fd count flat, the log dir unlocked', async () => {
    const root = cleanup.tempDir('service-host-');
    const dir = failingHostedService(root, 'failing');
    const h = serviceHost(root);
    expect(await h.start('failing', dir)).toBe(111);
    const before = openFds();
    for (let i = 0; i < 100; i++) {
      expect(await h.start('failing', dir)).toBe(111);
      expect(openFds()).toBe(before); // the end is told once the hosted log has been closed
    }
    expect(lockIsFree(join(dir, 'main'))).toBe(true);
    expect(h.stderr().split('\n').filter((line) => line === 'runsv failing: fatal: unable to open supervise/lock: not a directory')).toHaveLength(101);
  });

  it('HostedLog.open out of fds at every step, the pipe included: each time back to the same fds, the log dir unlocked', async () => {
    const root = cleanup.tempDir('service-host-');
    const dir = failingHostedService(root, 'starved');
    const plan = readHostedLog(dir, () => undefined)!;
    const limit = getrlimit('NOFILE');
    cleanup.add(() => setrlimit('NOFILE', limit));
    const before = openFds();
    const outcomes = new Set<string>();
    for (let room = 0; room < 12; room++) {
      setrlimit('NOFILE', { soft: before + room, hard: limit.hard });
      let outcome: string;
      try {
        const log = HostedLog.open(dir, plan, () => undefined);
        outcome = log ? 'opened' : 'no log dir';
        setrlimit('NOFILE', limit);
        await log?.end();
      } catch (error) {
        outcome = (error as NodeJS.ErrnoException).code ?? String(error);
      } finally {
        setrlimit('NOFILE', limit);
      }
      outcomes.add(outcome);
      await waitFor(() => openFds() <= before, `fds back to ${before} with room for ${room} more`);
      expect(lockIsFree(join(dir, 'main'))).toBe(true);
    }
    // out of fds part way, and opened once there is room
    expect(outcomes).toContain('EMFILE');
    expect(outcomes).toContain('opened');
  });

  it('out of fds, a start with a hosted log waits (a warning a second) and goes on once fds return', async () => {
    const root = cleanup.tempDir('service-host-');
    const dir = makeService(root, 'later', { run: 'echo logged; exec sleep 100' });
    mkdirSync(join(dir, 'main'));
    writeFileSync(join(dir, 'hosted-log'), './main\n');
    const h = serviceHost(root);
    const limit = getrlimit('NOFILE');
    cleanup.add(() => setrlimit('NOFILE', limit));
    const obeyed = h.obeyed();
    setrlimit('NOFILE', { soft: openFds() + 2, hard: limit.hard });
    void h.start('later', dir);
    await waitFor(() => h.obeyed() > obeyed, 'the start obeyed').finally(() => setrlimit('NOFILE', limit));
    await waitFor(() => textOf(join(dir, 'main', 'current')) === 'logged\n', 'the service logging in its hosted log');
    expect(h.stderr()).toBe('runsv later: warning: waiting a second for file descriptors: process cannot open more files\n');
  });
});

describe('service host: its own lines', () => {
  it('are runsv\'s lines about the service, and pino JSON lines with RUNIT_TS_LOG_FORMAT=json', async () => {
    const root = cleanup.tempDir('service-host-');
    const dir = makeService(root, 'odd', { run: 'exit 0' });
    writeFileSync(join(dir, 'hosted-log'), '-x ./main\n');
    writeFileSync(join(dir, 'supervise'), '');
    mkdirSync(join(root, 'text'));
    const text = serviceHost(join(root, 'text'));
    await text.start('odd', dir);
    expect(text.stderr()).toBe('runsv odd: warning: hosted-log ignored: unknown option -x\nrunsv odd: fatal: unable to open supervise/lock: not a directory\n');
    mkdirSync(join(root, 'json'));
    const json = serviceHost(join(root, 'json'), { RUNIT_TS_LOG_FORMAT: 'json' });
    await json.start('odd', dir);
    const lines = await waitFor(() => {
      const all = json.stderr().split('\n').filter(Boolean);
      return all.length === 2 ? all.map((line) => JSON.parse(line) as Record<string, unknown>) : undefined;
    }, 'two JSON lines');
    expect(lines[0]).toEqual({ level: 40, time: expect.any(Number), program: 'runsv', service: 'odd', msg: 'hosted-log ignored: unknown option -x' });
    expect(lines[1]).toEqual({
      level: 60,
      time: expect.any(Number),
      program: 'runsv',
      service: 'odd',
      msg: 'unable to open supervise/lock: not a directory',
      code: 'ENOTDIR',
    });
  });
});

describe('HostedLog.open', () => {
  it('a logger that throws (a bad option given through the API): 100 times, nothing left open', () => {
    const root = cleanup.tempDir('hosted-log-');
    const dir = makeService(root, 'svc');
    mkdirSync(join(dir, 'main'));
    const before = openFds();
    for (let i = 0; i < 100; i++) {
      expect(() => HostedLog.open(dir, { options: { replaceWith: 'ab' }, dirs: ['./main'] }, () => undefined)).toThrow(TypeError);
      expect(openFds()).toBe(before);
    }
    expect(lockIsFree(join(dir, 'main'))).toBe(true);
  });
});

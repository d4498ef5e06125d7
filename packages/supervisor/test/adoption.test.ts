// What a supervisor finds in supervise/ when it starts, left by one that died: the process is adopted
// when /proc proves it is the one the status was written for, stopped first when it is only known to
// be of this tree, left alone when it is someone else's. Real processes; the reaper, no child_process.
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pipe, reaper, spawn, type ExitStatus } from '@runit-ts/native';
import { encodeStatus, tai64nFromMillis, type ServiceState } from '@runit-ts/protocol';
import { Cleanup, isAlive, waitFor } from '@runit-ts/test-support';
import { bootWallClockMs } from '../src/process-identity.js';
import { lines, makeService, readPid, readStat, readStatus, send } from './fixtures.js';
import { supervise } from './supervise.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
reaper.start();

/** A process of this test (its parent is this process), ended at clean-up if it still runs. */
function child(script: string): { pid: number; exited: Promise<ExitStatus> } {
  const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', script] });
  cleanup.killLater(pid);
  return { pid, exited: new Promise((resolve) => reaper.watch(pid, resolve)) };
}

/** supervise/status (and pid) as a supervisor that died would have left them. */
function leave(dir: string, state: ServiceState, pid: number, stampMs: number, want: 'up' | 'down' = 'up'): void {
  mkdirSync(join(dir, 'supervise'), { recursive: true, mode: 0o700 });
  const stamp = tai64nFromMillis(stampMs);
  writeFileSync(join(dir, 'supervise', 'status'), encodeStatus({ stamp, pid, paused: false, wantUp: want === 'up', gotTerm: false, state }));
  writeFileSync(join(dir, 'supervise', 'pid'), `${pid}\n`);
}

const FINISH = 'echo "$@" >> finished';

function readlinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

describe('adopting what a supervisor that died left', () => {
  it('ours: started before the stamp: adopted with its state and stamp; d stops it, ./finish hears -1 0 (status unknown)', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', { finish: FINISH });
    const left = child('exec sleep 100');
    const stampMs = Date.now();
    leave(dir, 'run', left.pid, stampMs);
    const { sup } = await supervise(cleanup, dir);
    expect(sup.pids().service).toBe(left.pid);
    expect(readStatus(dir)).toMatchObject({ pid: left.pid, state: 'run', want: 'up', stamp: tai64nFromMillis(stampMs) });
    expect(readPid(dir)).toBe(left.pid);
    send(dir, 'd');
    expect((await left.exited).signal).toBe(15);
    await waitFor(() => readStat(dir) === 'down', 'down');
    expect(lines(join(dir, 'finished'))).toEqual(['-1 0']);
  });

  it('ours, in state finish and orphaned to the relaying parent: adopted as ./finish, then down', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', { down: true });
    const stampMs = Date.now() - 5000;
    const finish = child('exec sleep 100');
    leave(dir, 'finish', finish.pid, stampMs, 'down');
    const { sup } = await supervise(cleanup, dir, { orphansParent: process.pid });
    expect(sup.status()).toMatchObject({ state: 'finish', pid: finish.pid, want: 'down' });
    process.kill(finish.pid, 'SIGKILL');
    await waitFor(() => readStat(dir) === 'down', 'down once ./finish ended');
    expect(readPid(dir)).toBe(0);
  });

  it('unproven: orphaned to the relaying parent but started after the stamp: stopped, then ./run starts', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', {});
    const stampMs = Date.now() - 5000;
    const other = child(`trap 'exit 0' TERM; touch ${dir}/trapped; while :; do sleep 0.05; done`);
    await waitFor(() => existsSync(join(dir, 'trapped')), 'the trap set');
    leave(dir, 'run', other.pid, stampMs);
    const { diagnostics } = await supervise(cleanup, dir, { orphansParent: process.pid });
    expect(diagnostics).toEqual([
      `warning: ./run left by a previous supervisor (pid ${other.pid}) cannot be told apart from another process: stopping it, then starting anew`,
    ]);
    expect((await other.exited).code).toBe(0);
    const pid = await waitFor(() => readStat(dir) === 'run' && readPid(dir), 'a new ./run');
    expect(pid).not.toBe(other.pid);
  });

  it('a stranger (started after the stamp, not orphaned to this tree) is left alone: ./run starts at once', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', {});
    const other = child('exec sleep 100');
    leave(dir, 'run', other.pid, Date.now() - 5000);
    const { diagnostics } = await supervise(cleanup, dir, { orphansParent: 1 });
    const pid = await waitFor(() => readStat(dir) === 'run' && readPid(dir), 'a new ./run');
    expect(pid).not.toBe(other.pid);
    expect(isAlive(other.pid)).toBe(true);
    expect(diagnostics).toEqual([]);
  });

  for (const [damage, spoil] of [
    ['cut to 19 bytes', (status: Buffer) => status.subarray(0, 19)],
    ['a state byte that is none', (status: Buffer) => Buffer.concat([status.subarray(0, 19), Buffer.from([7])])],
    ['a want byte that is none', (status: Buffer) => Buffer.concat([status.subarray(0, 17), Buffer.from('?'), status.subarray(18)])],
  ] as const) {
    it(`a damaged status (${damage}) naming a process that a whole one would adopt: a fresh start, that process left alone`, async () => {
      const dir = makeService(cleanup.tempDir(), 'svc', {});
      const other = child('exec sleep 100');
      leave(dir, 'run', other.pid, Date.now() + 1000);
      const status = join(dir, 'supervise', 'status');
      writeFileSync(status, spoil(readFileSync(status)));
      await supervise(cleanup, dir, { orphansParent: process.pid });
      const pid = await waitFor(() => readStat(dir) === 'run' && readPid(dir), 'a new ./run');
      expect(pid).not.toBe(other.pid);
      expect(isAlive(other.pid)).toBe(true);
      expect(readStatus(dir)).toMatchObject({ pid, state: 'run', want: 'up' });
    });
  }

  it('a status from before this boot is never taken over, whatever now has its pid', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', {});
    const other = child('exec sleep 100');
    leave(dir, 'run', other.pid, bootWallClockMs() - 60_000);
    await supervise(cleanup, dir, { orphansParent: process.pid });
    const pid = await waitFor(() => readStat(dir) === 'run' && readPid(dir), 'a new ./run');
    expect(pid).not.toBe(other.pid);
    expect(isAlive(other.pid)).toBe(true);
  });

  it('gone: a pid that no longer exists: a fresh start, as runsv after a restart (no ./finish)', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', { finish: FINISH });
    const gone = child('exit 0');
    await gone.exited;
    leave(dir, 'run', gone.pid, Date.now());
    await supervise(cleanup, dir);
    await waitFor(() => readStat(dir) === 'run' && readPid(dir), 'a new ./run');
    expect(lines(join(dir, 'finished'))).toEqual([]);
  });

  it('a kept log pipe (runsvdir\'s copy) is used instead of a new one: what was in it reaches the logger', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', { run: 'echo from run; exec sleep 100', log: 'exec cat > out' });
    const [read, write] = pipe();
    writeSync(write, 'left in the pipe\n');
    const kept = openSync(`/proc/self/fd/${read}`, constants.O_RDWR);
    const link = readlinkSync(`/proc/self/fd/${kept}`);
    closeSync(read);
    closeSync(write);
    const { sup } = await supervise(cleanup, dir, { logPipeFd: kept });
    await waitFor(() => lines(join(dir, 'log', 'out')).length === 2, 'both lines logged');
    expect(lines(join(dir, 'log', 'out'))).toEqual(['left in the pipe', 'from run']);
    // the supervisor holds the pipe's two ends, and the kept fd was closed
    expect(readdirSync('/proc/self/fd').filter((fd) => readlinkOrEmpty(`/proc/self/fd/${fd}`) === link)).toHaveLength(2);
    expect(sup.pids().log).toBeGreaterThan(0);
  });
});

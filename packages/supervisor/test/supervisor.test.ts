// ServiceSupervisor in this process with real children, FIFOs and files: start-up, status files,
// every control byte, ./finish, the exit sequence. Uses the reaper, so no child_process here.
import { chmodSync, constants, existsSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, sessionOf, waitFor } from '@runit-ts/test-support';
import type { Tai64n } from '@runit-ts/protocol';
import { SupervisorError, type ServiceSupervisor } from '../src/index.js';
import { ignoresTerm, lines, makeService, readPid, readStat, readStatus, send, trapsSignals } from './fixtures.js';
import { supervise, supervisor } from './supervise.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());


const statIs = (dir: string, text: string, log = false) => () => readStat(dir, log) === text;
const millis = (t: Tai64n): number => t.seconds * 1000 + t.nanoseconds / 1e6;
/** The service's stamp (./run's start) is more than a second old: its end is not a quick exit. */
const ranASecond = (sup: ServiceSupervisor): boolean => Date.now() - millis(sup.status().since) > 1000;
const runningPid = (dir: string, log = false) => () => readStat(dir, log) === 'run' && readPid(dir, log);

describe('start-up and the files in supervise/', () => {
  it('creates supervise/ 0700 with lock, control and ok (0600), and writes pid, stat and status', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    const { sup } = await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    expect(statSync(join(dir, 'supervise')).mode & 0o7777).toBe(0o700);
    expect(lstatSync(join(dir, 'supervise/lock')).isFile()).toBe(true);
    for (const fifo of ['control', 'ok']) {
      const st = lstatSync(join(dir, 'supervise', fifo));
      expect(st.isFIFO()).toBe(true);
      expect(st.mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(dir, 'supervise/lock')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'supervise/pid'), 'utf8')).toBe(`${pid}\n`);
    expect(readFileSync(join(dir, 'supervise/stat'), 'utf8')).toBe('run\n');
    expect(readStatus(dir)).toMatchObject({ pid, state: 'run', want: 'up', paused: false, gotTerm: false });
    expect(sup.status()).toMatchObject({ pid, state: 'run', want: 'up' });
    expect(sup.pids()).toEqual({ service: pid, log: 0 });
  });

  it('a down file keeps the service down (empty pid file) until u', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { down: true });
    await supervise(cleanup, dir);
    await waitFor(statIs(dir, 'down'), 'down');
    expect(readFileSync(join(dir, 'supervise/pid'), 'utf8')).toBe('');
    expect(readStatus(dir)).toMatchObject({ pid: 0, state: 'down', want: 'down' });
    send(dir, 'u');
    await waitFor(runningPid(dir), 'run after u');
    expect(readStatus(dir).want).toBe('up');
  });

  it('supervise as a plain file: start rejects with "unable to open supervise/lock: not a directory"', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    writeFileSync(join(dir, 'supervise'), '');
    const { sup, diagnostics, end } = supervisor(cleanup, dir);
    const error = await sup.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorError);
    expect(error).toMatchObject({ message: 'unable to open supervise/lock: not a directory', code: 'ENOTDIR', exitCode: 111 });
    expect((error as SupervisorError).line).toBe(`runsv ${dir}: fatal: unable to open supervise/lock: not a directory`);
    expect(diagnostics).toEqual(['fatal: unable to open supervise/lock: not a directory']);
    await sup.ended;
    expect(end()).toMatchObject({ code: 111 });
  });

  it('supervise and log/supervise as dangling symlinks: their targets are made (relative to their dirs)', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { log: 'exec cat >/dev/null' });
    symlinkSync('foo', join(dir, 'supervise'));
    symlinkSync('../bar', join(dir, 'log/supervise'));
    await supervise(cleanup, dir);
    await waitFor(() => readStat(dir) === 'run' && readStat(dir, true) === 'run', 'both running');
    expect(statSync(join(dir, 'foo')).mode & 0o7777).toBe(0o700);
    expect(lstatSync(join(dir, 'bar')).isDirectory()).toBe(true);
    expect(lstatSync(join(dir, 'bar/control')).isFIFO()).toBe(true);
  });

  it('supervise/control that is not a FIFO is fatal', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    makeService(dir, 'supervise', { run: null });
    writeFileSync(join(dir, 'supervise/control'), '');
    const { sup } = supervisor(cleanup, dir);
    await expect(sup.start()).rejects.toMatchObject({ message: 'supervise/control exists but is not a fifo' });
  });

  it('log that is a file: a warning, and no log service', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    writeFileSync(join(dir, 'log'), '');
    const { sup, diagnostics } = await supervise(cleanup, dir);
    await waitFor(runningPid(dir), 'run');
    expect(diagnostics).toEqual(['warning: ./log: not a directory.']);
    expect(sup.status().log).toBeUndefined();
  });

  it('a second supervisor on the same dir fails with runit\'s lock message; the first goes on', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    const first = await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    const second = supervisor(cleanup, dir, { name: 'svc' });
    await expect(second.sup.start()).rejects.toMatchObject({
      message: 'unable to lock supervise/lock: temporary failure',
      code: 'EAGAIN',
      line: 'runsv svc: fatal: unable to lock supervise/lock: temporary failure',
    });
    expect(first.sup.status().pid).toBe(pid);
    send(dir, 'd');
    await waitFor(statIs(dir, 'down'), 'first still obeys');
  });

  it('a log whose lock another supervisor holds: start waits for it, and the host is not blocked meanwhile', async () => {
    const root = cleanup.tempDir();
    const first = makeService(root, 'first', { log: 'exec cat >/dev/null' });
    const second = makeService(root, 'second', {});
    symlinkSync(join(first, 'log'), join(second, 'log')); // one log dir for two services
    const other = makeService(root, 'other', {});
    const a = await supervise(cleanup, first);
    await waitFor(runningPid(first, true), 'first log runs');
    const b = supervisor(cleanup, second);
    let started = false;
    const starting = b.sup.start().then(() => (started = true));
    await supervise(cleanup, other);
    await waitFor(runningPid(other), 'another service starts meanwhile');
    expect(started).toBe(false);
    expect(existsSync(join(second, 'supervise/lock'))).toBe(true);
    expect(existsSync(join(second, 'supervise/control'))).toBe(false); // not past the log lock
    await a.sup.terminate();
    await starting;
    await waitFor(() => runningPid(second)() && runningPid(second, true)(), 'second and the shared log run');
  });

  it('no such directory: "unable to change to directory: file does not exist"', async () => {
    const root = cleanup.tempDir();
    const { sup } = supervisor(cleanup, join(root, 'missing'));
    await expect(sup.start()).rejects.toMatchObject({ message: 'unable to change to directory: file does not exist', code: 'ENOENT' });
  });
});

describe('a renamed service dir', () => {
  it('keeps being supervised where it went, as runsv\'s working directory does', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'before', {});
    const { sup } = await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    const moved = join(root, 'after');
    renameSync(dir, moved);
    send(moved, 't');
    await waitFor(() => readStat(moved) === 'run' && readPid(moved) !== pid, 'restarted in the moved dir');
    expect(sup.status().pid).toBe(readPid(moved));
  });
});

describe('control bytes', () => {
  it('d: TERM then CONT, ./finish gets -1 15, state down, want down; u starts it again', async () => {
    const root = cleanup.tempDir();
    const args = join(root, 'finish.args');
    const dir = makeService(root, 'svc', { finish: `echo "$@" >>${args}` });
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    send(dir, 'd');
    await waitFor(statIs(dir, 'down'), 'down');
    expect(isAlive(pid)).toBe(false);
    expect(lines(args)).toEqual(['-1 15']);
    expect(readStatus(dir)).toMatchObject({ want: 'down', pid: 0, gotTerm: false, state: 'down' });
    send(dir, 'u');
    const again = await waitFor(runningPid(dir), 'run after u');
    expect(again).not.toBe(pid);
  });

  it('o: runs once; a service that exits is not restarted', async () => {
    const root = cleanup.tempDir();
    const count = join(root, 'count');
    const dir = makeService(root, 'svc', { down: true, run: `echo run >>${count}\nexit 0` });
    const { sup } = await supervise(cleanup, dir);
    send(dir, 'o');
    await waitFor(() => lines(count).length === 1 && readStat(dir) === 'down', 'ran once and down');
    send(dir, 'p'); // a later byte is processed only after the exit and the 1-second hold
    await waitFor(() => sup.status().paused, 'p processed');
    expect(lines(count)).toEqual(['run']);
  });

  it('t: TERM with want up restarts the service; no CONT, no control/d', async () => {
    const root = cleanup.tempDir();
    const marks = join(root, 'marks');
    const dir = makeService(root, 'svc', { control: { d: `echo d >>${marks}` } });
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    send(dir, 't');
    const next = await waitFor(() => readStat(dir) === 'run' && readPid(dir) !== pid && readPid(dir), 'restart');
    expect(next).toBeGreaterThan(0);
    expect(lines(marks)).toEqual([]);
  });

  it('k: KILL, ./finish gets -1 9, and the service restarts', async () => {
    const root = cleanup.tempDir();
    const args = join(root, 'finish.args');
    const dir = makeService(root, 'svc', { run: 'exec sleep 1000', finish: `echo "$@" >>${args}` });
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    send(dir, 'k');
    await waitFor(() => readStat(dir) === 'run' && readPid(dir) !== pid, 'restarted');
    expect(lines(args)).toEqual(['-1 9']);
  });

  it('p and c: STOP and CONT the process, with the paused flag in stat and status', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    send(dir, 'p');
    await waitFor(statIs(dir, 'run, paused'), 'paused');
    await waitFor(() => procState(pid) === 'T', 'stopped');
    expect(readStatus(dir).paused).toBe(true);
    send(dir, 'c');
    await waitFor(statIs(dir, 'run'), 'unpaused');
    await waitFor(() => procState(pid) === 'S', 'running again');
    expect(readStatus(dir).paused).toBe(false);
  });

  it('h a i q 1 2: HUP, ALRM, INT, QUIT, USR1, USR2 reach the process, in order; status untouched', async () => {
    const root = cleanup.tempDir();
    const got = join(root, 'signals');
    const dir = makeService(root, 'svc', { run: trapsSignals(got) });
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    await waitFor(() => existsSync(`${got}.ready`), 'traps set');
    for (const [byte, name] of [['h', 'HUP'], ['a', 'ALRM'], ['i', 'INT'], ['q', 'QUIT'], ['1', 'USR1'], ['2', 'USR2']]) {
      send(dir, byte!);
      await waitFor(() => lines(got).at(-1) === name, `${name} trapped`);
    }
    expect(lines(got)).toEqual(['HUP', 'ALRM', 'INT', 'QUIT', 'USR1', 'USR2']);
    expect(readPid(dir)).toBe(pid);
    expect(readStat(dir)).toBe('run');
  });

  it('x: stop sequence, then the supervisor ends with code 0 and releases lock and FIFOs', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    const { sup, end } = await supervise(cleanup, dir);
    await waitFor(runningPid(dir), 'run');
    send(dir, 'x');
    expect(await sup.ended).toEqual({ code: 0 });
    expect(end()).toEqual({ code: 0 });
    expect(readStat(dir)).toBe('down');
    // lock released: a new supervisor can take the dir; ok has no reader any more
    expect(() => openSync(join(dir, 'supervise/ok'), constants.O_WRONLY | constants.O_NONBLOCK)).toThrow(/ENXIO/);
    await supervise(cleanup, dir);
    await waitFor(runningPid(dir), 'run under a new supervisor');
  });

  it('unknown bytes are ignored, and a burst of 20000 bytes is read in order without loss', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    const { sup } = await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    const noise = 'bfgjlmnrsvwyzXYZ0 \n\t\u00ff/';
    let burst = '';
    for (let i = 0; i < 20_000 - 1; i++) burst += i % 97 === 0 ? (i % 2 ? 'p' : 'c') : noise[i % noise.length]!;
    burst += 'p';
    send(dir, burst);
    await waitFor(() => sup.status().paused && readStat(dir) === 'run, paused', 'last byte p processed', 30_000);
    expect(sup.status().pid).toBe(pid);
    send(dir, 'c');
    await waitFor(statIs(dir, 'run'), 'c processed');
  });

  it('control() has the same effect as writing to supervise/control', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { log: 'exec cat >/dev/null' });
    const { sup } = await supervise(cleanup, dir);
    await waitFor(() => runningPid(dir)() && runningPid(dir, true)(), 'both run');
    sup.control('d');
    sup.control('d', 'log');
    await waitFor(() => readStat(dir) === 'down' && readStat(dir, true) === 'down', 'both down');
  });
});

describe('a restart: the new child first, then the status files in runsv\'s order', () => {
  it('after kill -9 the down status is written once the new ./run is spawned, then run with its pid', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    const { sup } = await supervise(cleanup, dir);
    const first = await waitFor(runningPid(dir), 'run');
    const seen: { state: string; pid: number; spawned: number; stat: string | undefined }[] = [];
    sup.on('state', (which, status) => {
      if (which === 'service') seen.push({ state: status.state, pid: status.pid, spawned: sup.pids().service, stat: readStat(dir) });
    });
    await waitFor(() => ranASecond(sup), 'past runsv\'s 1-second rule');
    process.kill(first, 'SIGKILL');
    const next = await waitFor(() => readStat(dir) === 'run' && readPid(dir) !== first && readPid(dir), 'restarted');
    // the files still pass through down (pid 0) before run; the new child already exists by then
    expect(seen).toEqual([
      { state: 'down', pid: 0, spawned: next, stat: 'down' },
      { state: 'run', pid: next, spawned: next, stat: 'run' },
    ]);
  });

  it('control/u runs while the status says down, before each start', async () => {
    const root = cleanup.tempDir();
    const marks = join(root, 'marks');
    const dir = makeService(root, 'svc', { control: { u: `cat supervise/stat >>${marks}` } });
    const { sup } = await supervise(cleanup, dir);
    const first = await waitFor(runningPid(dir), 'run');
    await waitFor(() => ranASecond(sup), 'past runsv\'s 1-second rule');
    process.kill(first, 'SIGKILL');
    await waitFor(() => readStat(dir) === 'run' && readPid(dir) !== first, 'restarted');
    expect(lines(marks)).toEqual(['down', 'down']);
  });

  it('a ./run that lived less than a second: down is written at once and stays, with no child, for a second', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { run: 'exit 0' });
    const { sup } = supervisor(cleanup, dir);
    const seen: { state: string; since: number; spawned: number; pidFile: string; stat: string | undefined }[] = [];
    sup.on('state', (which, status) => {
      const pidFile = readFileSync(join(dir, 'supervise/pid'), 'utf8');
      seen.push({ state: status.state, since: millis(status.since), spawned: sup.pids().service, pidFile, stat: readStat(dir) });
    });
    await sup.start();
    await waitFor(() => seen.length >= 4, 'down, run, down after the quick exit, run again');
    const [, firstRun, down, secondRun] = seen;
    expect(down).toMatchObject({ state: 'down', spawned: 0, pidFile: '', stat: 'down' });
    expect(secondRun).toMatchObject({ state: 'run', stat: 'run' });
    expect(secondRun!.spawned).not.toBe(firstRun!.spawned);
    // no other write between: the pause showed down throughout, and lasted a second at least
    expect(secondRun!.since - down!.since).toBeGreaterThanOrEqual(1000);
  });
});

describe('the stop sequence and custom handlers', () => {
  it('control/<c> output goes to the log pipe; exit 0 suppresses the signal, exit 1 does not', async () => {
    const root = cleanup.tempDir();
    const got = join(root, 'signals');
    const dir = makeService(root, 'svc', {
      run: trapsSignals(got),
      log: `exec cat >>${join(root, 'log.out')}`,
      control: { h: 'echo custom h\nexit 0', a: 'echo custom a\nexit 1' },
    });
    await supervise(cleanup, dir);
    await waitFor(() => runningPid(dir)() && runningPid(dir, true)() && existsSync(`${got}.ready`), 'both run');
    send(dir, 'h');
    send(dir, 'a');
    await waitFor(() => lines(got).includes('ALRM'), 'ALRM delivered');
    await waitFor(() => lines(join(root, 'log.out')).length === 2, 'handler output logged');
    expect(lines(join(root, 'log.out'))).toEqual(['custom h', 'custom a']);
    expect(lines(got)).toEqual(['ALRM']);
  });

  it('d with control/t exiting 0: no TERM, but CONT and control/d still run', async () => {
    const root = cleanup.tempDir();
    const marks = join(root, 'marks');
    const dir = makeService(root, 'svc', { control: { t: `echo t >>${marks}\nexit 0`, d: `echo d >>${marks}` } });
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    send(dir, 'd');
    await waitFor(() => lines(marks).length === 2, 'handlers ran');
    expect(lines(marks)).toEqual(['t', 'd']);
    expect(readStat(dir)).toBe('run, want down');
    expect(isAlive(pid)).toBe(true);
    send(dir, 'k');
    await waitFor(statIs(dir, 'down'), 'killed');
  });

  it('control/u runs before every start of ./run, automatic restarts included', async () => {
    const root = cleanup.tempDir();
    const marks = join(root, 'marks');
    const dir = makeService(root, 'svc', { control: { u: `echo u >>${marks}` } });
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => readStat(dir) === 'run' && readPid(dir) !== pid, 'restarted');
    expect(lines(marks)).toEqual(['u', 'u']);
  });

  it('bytes that arrive while a handler runs are processed after it, in order', async () => {
    const root = cleanup.tempDir();
    const marks = join(root, 'marks');
    const gate = join(root, 'gate');
    const dir = makeService(root, 'svc', { control: { p: `echo p-start >>${marks}\nwhile [ ! -e ${gate} ]; do sleep 0.02; done\necho p-end >>${marks}\nexit 1` } });
    const { sup } = await supervise(cleanup, dir);
    await waitFor(runningPid(dir), 'run');
    send(dir, 'p');
    await waitFor(() => lines(marks).includes('p-start'), 'handler started');
    send(dir, 'cd');
    expect(sup.status()).toMatchObject({ paused: false, want: 'up' }); // nothing happened meanwhile
    writeFileSync(gate, '');
    await waitFor(statIs(dir, 'down'), 'c and d after the handler');
    expect(lines(marks)).toEqual(['p-start', 'p-end']);
    expect(sup.status()).toMatchObject({ paused: false, want: 'down' });
  });

  it('a service that ignores TERM: d leaves it running with "got TERM, want down"; k kills it', async () => {
    const root = cleanup.tempDir();
    const args = join(root, 'finish.args');
    const dir = makeService(root, 'svc', { run: ignoresTerm(join(root, 'ready')), finish: `echo "$@" >>${args}` });
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    await waitFor(() => existsSync(join(root, 'ready')), 'TERM ignored');
    send(dir, 'd');
    await waitFor(statIs(dir, 'run, got TERM, want down'), 'TERM ignored');
    expect(readStatus(dir)).toMatchObject({ gotTerm: true, want: 'down', state: 'run', pid });
    send(dir, 'k');
    await waitFor(statIs(dir, 'down'), 'killed');
    expect(lines(args)).toEqual(['-1 9']);
  });
});

describe('./finish', () => {
  it('gets "3 0" after exit 3 and runs with state finish; the stamp is the one of ./run', async () => {
    const root = cleanup.tempDir();
    const args = join(root, 'finish.args');
    const gate = join(root, 'gate');
    const dir = makeService(root, 'svc', {
      run: 'exit 3',
      down: true,
      finish: `echo "$@" >>${args}\nwhile [ ! -e ${gate} ]; do sleep 0.02; done`,
    });
    const { sup } = await supervise(cleanup, dir);
    send(dir, 'o');
    await waitFor(() => readStat(dir) === 'finish, want down' && lines(args).length === 1, 'in finish');
    const runStamp = readStatus(dir).stamp;
    expect(readStatus(dir)).toMatchObject({ state: 'finish' });
    expect(readPid(dir)).toBeGreaterThan(0);
    expect(lines(args)).toEqual(['3 0']);
    writeFileSync(gate, '');
    await waitFor(statIs(dir, 'down'), 'down');
    expect(sup.status().since).not.toEqual(runStamp);
  });

  it('k during ./finish: state down at once, then ./finish runs again with the first finish\'s status (quirk)', async () => {
    const root = cleanup.tempDir();
    const args = join(root, 'finish.args');
    const gate = join(root, 'gate');
    const dir = makeService(root, 'svc', {
      run: 'exit 3',
      down: true,
      finish: `echo "$@" >>${args}\nwhile [ ! -e ${gate} ]; do sleep 0.02; done\nexit 7`,
    });
    const { sup } = await supervise(cleanup, dir);
    send(dir, 'o');
    await waitFor(() => lines(args).length === 1, 'first finish');
    const finishPid = sup.status().pid;
    send(dir, 'k');
    await waitFor(() => sup.status().state === 'down', 'state down');
    expect(isAlive(finishPid)).toBe(true); // not killed
    writeFileSync(gate, '');
    await waitFor(() => lines(args).length === 2 && readStat(dir) === 'down', 'second finish done');
    expect(lines(args)).toEqual(['3 0', '7 0']);
  });

  it('run not executable: runit\'s child message, ./finish gets "111 0", restarts keep coming', async () => {
    const root = cleanup.tempDir();
    const args = join(root, 'finish.args');
    const dir = makeService(root, 'svc', { finish: `echo "$@" >>${args}` });
    const { sup, diagnostics } = supervisor(cleanup, dir, { name: 'svc' });
    chmodSync(join(dir, 'run'), 0o644);
    const exits: number[] = [];
    sup.on('exit', (_, exit) => exit.pid === 0 && exits.push(exit.code ?? -1));
    await sup.start();
    await waitFor(() => lines(args).length >= 2, 'two attempts', 20_000);
    expect(lines(args).slice(0, 2)).toEqual(['111 0', '111 0']);
    expect(diagnostics.slice(0, 2)).toEqual(['fatal: unable to start ./run: access denied', 'fatal: unable to start ./run: access denied']);
    expect(exits.slice(0, 2)).toEqual([111, 111]);
  });
});

describe('the log service', () => {
  it('x on log/supervise/control is ignored; d and u work there', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { log: 'exec cat >/dev/null' });
    await supervise(cleanup, dir);
    const logPid = await waitFor(runningPid(dir, true), 'log runs');
    send(dir, 'xd', true);
    await waitFor(statIs(dir, 'down', true), 'log down after d');
    expect(isAlive(logPid)).toBe(false);
    expect(readStat(dir)).toBe('run');
    send(dir, 'u', true);
    await waitFor(runningPid(dir, true), 'log up again');
  });

  it('exit sequence: service down (finish done), then the log gets EOF and exits, then the end', async () => {
    const root = cleanup.tempDir();
    const order = join(root, 'order');
    const dir = makeService(root, 'svc', {
      run: 'echo line\nexec sleep 1000',
      finish: `echo finish >>${order}`,
      log: `cat >>${join(root, 'log.out')}\necho log-eof >>${order}`,
    });
    const { sup } = await supervise(cleanup, dir);
    await waitFor(() => lines(join(root, 'log.out')).length === 1, 'line logged');
    sup.on('end', () => writeFileSync(order, 'end\n', { flag: 'a' }));
    const end = await sup.terminate();
    expect(end).toEqual({ code: 0 });
    expect(lines(order)).toEqual(['finish', 'log-eof', 'end']);
    expect(readStat(dir, true)).toBe('down');
  });

  it('the log pipe loses nothing when the writer or the logger is killed and restarted', async () => {
    const root = cleanup.tempDir();
    const logged = join(root, 'log.out');
    const dir = makeService(root, 'svc', {
      run: `i=0\nwhile [ $i -lt 2000 ]; do echo "$$ $i"; i=$((i+1)); done\ntouch ${root}/written.$$\nexec sleep 1000`,
      log: `exec cat >>${logged}`,
      logDown: true,
    });
    const written = () => readdirCount(root, 'written.');
    await supervise(cleanup, dir);
    // phase 1: no reader; two writers fill the pipe (the first is killed after writing)
    await waitFor(() => written() === 1, 'first writer done', 20_000);
    process.kill(readPid(dir), 'SIGKILL');
    await waitFor(() => written() === 2, 'second writer done', 20_000);
    // phase 2: the logger starts and drains what the pipe kept
    send(dir, 'u', true);
    await waitFor(() => lines(logged).length === 4000, '4000 lines', 20_000);
    // phase 3: the logger is killed; a third writer writes while it restarts
    const logPid = readPid(dir, true);
    process.kill(logPid, 'SIGKILL');
    send(dir, 't');
    await waitFor(() => lines(logged).length === 6000, '6000 lines', 20_000);
    expect(readPid(dir, true)).not.toBe(logPid);
    const perWriter = new Map<string, number[]>();
    for (const line of lines(logged)) {
      const [writer, n] = line.split(' ');
      perWriter.set(writer!, [...(perWriter.get(writer!) ?? []), Number(n)]);
    }
    expect(perWriter.size).toBe(3);
    for (const numbers of perWriter.values()) expect(numbers).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});

describe('sessions and fds', () => {
  it('newSession: run and log/run each lead a new session', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { log: 'exec cat >/dev/null' });
    await supervise(cleanup, dir, { newSession: true });
    const pid = await waitFor(runningPid(dir), 'run');
    const logPid = await waitFor(runningPid(dir, true), 'log');
    expect(sessionOf(pid)).toBe(pid);
    expect(sessionOf(logPid)).toBe(logPid);
  });

  it('without newSession the children stay in the host\'s session', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    await supervise(cleanup, dir);
    const pid = await waitFor(runningPid(dir), 'run');
    expect(sessionOf(pid)).toBe(sessionOf(process.pid));
  });
});

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

function readdirCount(dir: string, prefix: string): number {
  return readdirSync(dir).filter((name) => name.startsWith(prefix)).length;
}

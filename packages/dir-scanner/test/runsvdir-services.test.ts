// runsvdir (ours, in-process hosting) over real service directories, checked with runit's own sv.
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { ourCommand } from './support/commands.js';
import { cwdOf, allProcesses, procInfo } from './support/procfs.js';
import { startRunsvdir, sv, waitRunning } from './support/runsvdir-run.js';
import { makeService, supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function setUp() {
  const base = cleanup.tempDir('runsvdir-');
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  const staging = join(base, 'staging');
  mkdirSync(staging);
  return { base, svdir, staging };
}

/** A service that says hello, and bye when TERM arrives, on stdout (into its log when it has one). */
const POLITE = "echo hello; trap 'echo bye; exit 0' TERM; while :; do sleep 0.1; done";

describe('runsvdir: services in one host process', () => {
  it('brings up three services, each seen by the real sv', async () => {
    const { base, svdir } = setUp();
    makeService(svdir, 'a');
    makeService(svdir, 'b');
    makeService(svdir, 'c', { run: POLITE, log: 'exec cat > out.txt' });
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    for (const name of ['a', 'b', 'c']) await waitRunning(join(svdir, name));
    expect(sv(['status', join(svdir, 'a')]).stdout).toMatch(/^run: .*\/a: \(pid \d+\) \d+s\n$/);
    expect(sv(['status', join(svdir, 'c')]).stdout).toMatch(/^run: .*\/c: \(pid \d+\) \d+s; run: log: \(pid \d+\) \d+s\n$/);
    await waitFor(() => textOnceCreated(join(svdir, 'c', 'log', 'out.txt'), 'utf8') === 'hello\n', 'the log got hello');
    expect(run.exited()).toBe(false);
  });

  it('runs a service directory renamed into the services directory within a second', async () => {
    const { base, svdir, staging } = setUp();
    makeService(svdir, 'a');
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    await waitRunning(join(svdir, 'a'));
    makeService(staging, 'fresh');
    renameSync(join(staging, 'fresh'), join(svdir, 'fresh'));
    const pid = await waitFor(() => supervisedPid(join(svdir, 'fresh')) || undefined, 'fresh running', 1000);
    expect(isAlive(pid), `pid ${pid}: ${JSON.stringify(procInfo(pid))}`).toBe(true);
  });

  it('stops a service renamed out of it as runsv stops on SIGTERM: service down, log drained', async () => {
    const { base, svdir, staging } = setUp();
    makeService(svdir, 'stays');
    makeService(svdir, 'leaving', { run: POLITE, log: 'exec cat > out.txt' });
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const stays = await waitRunning(join(svdir, 'stays'));
    const servicePid = await waitRunning(join(svdir, 'leaving'));
    const away = join(staging, 'leaving');
    await waitFor(() => textOnceCreated(join(svdir, 'leaving', 'log', 'out.txt'), 'utf8').includes('hello'), 'hello logged');
    renameSync(join(svdir, 'leaving'), away);
    await waitFor(() => sv(['status', away]).stdout.includes('runsv not running'), 'its supervisor gone');
    expect(readFileSync(join(away, 'log', 'out.txt'), 'utf8')).toBe('hello\nbye\n');
    expect(isAlive(servicePid)).toBe(false);
    expect(readFileSync(join(away, 'supervise', 'stat'), 'utf8')).toBe('down\n');
    expect(readFileSync(join(away, 'log', 'supervise', 'stat'), 'utf8')).toBe('down\n');
    expect(supervisedPid(join(svdir, 'stays'))).toBe(stays);
  });

  it('keeps the services’ shared stderr blocking when supervisors end (Node would make it non-blocking)', async () => {
    const { base, svdir, staging } = setUp();
    makeService(svdir, 'stays');
    makeService(svdir, 'goes');
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const stays = await waitRunning(join(svdir, 'stays'));
    await waitRunning(join(svdir, 'goes'));
    renameSync(join(svdir, 'goes'), join(staging, 'goes'));
    await waitFor(() => sv(['status', join(staging, 'goes')]).stdout.includes('runsv not running'), 'goes stopped');
    const O_NONBLOCK = 0o4000;
    const flags = parseInt(/^flags:\s+(\d+)$/m.exec(readFileSync(`/proc/${stays}/fdinfo/2`, 'utf8'))![1]!, 8);
    expect(flags & O_NONBLOCK).toBe(0);
  });

  it('switches runlevels with runsvchdir: the shared service keeps its pid, the others stop and start', async () => {
    const { base } = setUp();
    const sv_ = join(base, 'sv');
    for (const name of ['shared', 'onlyA', 'onlyB']) makeService(sv_, name);
    const farm = join(base, 'farm');
    for (const [level, names] of [['levelA', ['shared', 'onlyA']], ['levelB', ['shared', 'onlyB']]] as const) {
      mkdirSync(join(farm, level), { recursive: true });
      for (const name of names) symlinkSync(join(sv_, name), join(farm, level, name));
    }
    symlinkSync('levelA', join(farm, 'current'));
    const service = join(base, 'service-link');
    symlinkSync(join(farm, 'current'), service);
    startRunsvdir(cleanup, [service], { dirs: [base] });
    const shared = await waitRunning(join(sv_, 'shared'));
    await waitRunning(join(sv_, 'onlyA'));
    const change = spawnSync(process.execPath, [ourCommand('runsvchdir'), 'levelB'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, RUNSVDIR: farm },
    });
    expect(change.stdout).toBe('runsvchdir: levelB: now current.\n');
    await waitRunning(join(sv_, 'onlyB'));
    await waitFor(() => sv(['status', join(sv_, 'onlyA')]).stdout.includes('runsv not running'), 'onlyA stopped');
    expect(supervisedPid(join(sv_, 'shared'))).toBe(shared);
    expect(sv(['status', join(sv_, 'shared')]).stdout).toContain(`(pid ${shared})`);
  });

  it('keeps the good services running beside one without run and one whose run is not executable', async () => {
    const { base, svdir } = setUp();
    makeService(svdir, 'good');
    makeService(svdir, 'norun', { run: null });
    makeService(svdir, 'noexec', { runMode: 0o644 });
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const good = await waitRunning(join(svdir, 'good'));
    await waitFor(
      () =>
        run.stderr().includes('runsv norun: fatal: unable to start ./run: file does not exist\n') &&
        run.stderr().includes('runsv noexec: fatal: unable to start ./run: access denied\n'),
      'the failures reported as runsv reports them',
    );
    for (const name of ['norun', 'noexec']) {
      expect(sv(['status', join(svdir, name)]).stdout).toMatch(new RegExp(`^down: .*/${name}: \\d+s, normally up, want up\\n$`));
    }
    expect(supervisedPid(join(svdir, 'good'))).toBe(good);
    expect(run.exited()).toBe(false);
  });

  it('survives its services directory vanishing and picks up what comes back', async () => {
    const { base, svdir } = setUp();
    makeService(svdir, 'a');
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const a = await waitRunning(join(svdir, 'a'));
    renameSync(svdir, `${svdir}.away`);
    await waitFor(
      () => run.stderr().includes(`runsvdir ${svdir}: warning: unable to stat ${svdir}: file does not exist\n`),
      'the warning',
    );
    expect(isAlive(a)).toBe(true);
    renameSync(`${svdir}.away`, svdir);
    makeService(svdir, 'b');
    await waitRunning(join(svdir, 'b'));
    expect(supervisedPid(join(svdir, 'a'))).toBe(a);
  });

  it('warns about dangling links and loops, and runs names with spaces and newlines', async () => {
    const { base, svdir } = setUp();
    makeService(svdir, 'with space');
    makeService(svdir, 'new\nline');
    symlinkSync('nowhere', join(svdir, 'dangling'));
    symlinkSync('loop', join(svdir, 'loop'));
    writeFileSync(join(svdir, 'file'), '');
    makeService(svdir, '.hidden');
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    await waitRunning(join(svdir, 'with space'));
    await waitRunning(join(svdir, 'new\nline'));
    await waitFor(
      () =>
        run.stderr().includes(`runsvdir ${svdir}: warning: unable to stat dangling: file does not exist\n`) &&
        run.stderr().includes(`runsvdir ${svdir}: warning: unable to stat loop: symbolic link loop\n`),
      'both warnings',
    );
    expect(supervisedPid(join(svdir, '.hidden'))).toBe(0);
  });

  it('writes its warnings as pino JSON lines when RUNIT_TS_LOG_FORMAT=json', async () => {
    const { base, svdir } = setUp();
    symlinkSync('nowhere', join(svdir, 'dangling'));
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env: { RUNIT_TS_LOG_FORMAT: 'json' } });
    const line = await waitFor(() => run.stderr().split('\n')[0] || undefined, 'a line');
    expect(JSON.parse(line)).toEqual({
      level: 40,
      time: expect.any(Number),
      program: 'runsvdir',
      svdir,
      msg: 'unable to stat dangling: file does not exist',
      code: 'ENOENT',
    });
  });

  it('starts a directory reached through two symlinks once', async () => {
    const { base, svdir } = setUp();
    const target = makeService(join(base, 'sv'), 'one');
    symlinkSync(target, join(svdir, 'x'));
    symlinkSync(target, join(svdir, 'y'));
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const pid = await waitRunning(join(svdir, 'x'));
    expect(sv(['status', join(svdir, 'y')]).stdout).toContain(`(pid ${pid})`);
    const inTarget = allProcesses().filter((p) => cwdOf(p.pid) === target);
    expect(inTarget.map((p) => p.pid)).toEqual([pid]);
  });

  it('lets the real sv drive every service it hosts', async () => {
    const { base, svdir } = setUp();
    for (const name of ['a', 'b', 'c']) makeService(svdir, name, { run: POLITE });
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    for (const name of ['a', 'b', 'c']) {
      const dir = join(svdir, name);
      const first = await waitRunning(dir);
      expect(sv(['-w', '10', 'down', dir]).stdout).toMatch(/^ok: down: /);
      expect(isAlive(first)).toBe(false);
      expect(sv(['-w', '10', 'up', dir]).stdout).toMatch(/^ok: run: /);
      const second = supervisedPid(dir);
      expect(sv(['pause', dir]).code).toBe(0);
      await waitFor(() => sv(['status', dir]).stdout.includes(', paused'), 'paused');
      expect(sv(['cont', dir]).code).toBe(0);
      await waitFor(() => !sv(['status', dir]).stdout.includes(', paused'), 'continued');
      expect(sv(['-w', '10', 'restart', dir]).code).toBe(0);
      await waitFor(() => supervisedPid(dir) !== second && supervisedPid(dir) !== 0, 'a new pid after restart');
      // `exit` ends the supervisor itself; runsvdir starts a new one at once, as it restarts a runsv
      // that exited (runit: within about 5 s), and that one starts the service again
      const beforeExit = supervisedPid(dir);
      expect(sv(['exit', dir]).code).toBe(0);
      const again = await waitFor(() => {
        const pid = supervisedPid(dir);
        return pid !== 0 && pid !== beforeExit ? pid : undefined;
      }, 'the service started by a new supervisor');
      expect(isAlive(beforeExit)).toBe(false);
      expect(await waitRunning(dir)).toBe(again);
    }
  });
});

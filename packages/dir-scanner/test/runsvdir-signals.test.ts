// runsvdir's signals (ours, in-process hosting): TERM leaves the services supervised, HUP stops them
// and exits 111, Ctrl-C stops them and waits; a service host that dies is started again at once.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { childrenOf, cmdlineOf, procInfo } from './support/procfs.js';
import { startRunsvdir, sv, waitRunning, type RunsvdirRun } from './support/runsvdir-run.js';
import { makeService, supervisedPid, textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const POLITE = "echo hello; trap 'echo bye; exit 0' TERM; while :; do sleep 0.1; done";

async function setUp(args: string[] = []) {
  const base = cleanup.tempDir('runsvdir-signals-');
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  makeService(svdir, 'a', { run: POLITE, log: 'exec cat > out.txt' });
  makeService(svdir, 'b');
  const run = startRunsvdir(cleanup, [...args, svdir], { dirs: [base] });
  const pids = { a: await waitRunning(join(svdir, 'a')), b: await waitRunning(join(svdir, 'b')) };
  const logPid = await waitFor(() => supervisedPid(join(svdir, 'a', 'log')) || undefined, 'the logger');
  await waitFor(() => textOnceCreated(join(svdir, 'a', 'log', 'out.txt'), 'utf8') === 'hello\n', 'hello logged');
  return { base, svdir, run, pids, logPid, host: hostOf(run) };
}

function hostOf(run: RunsvdirRun): number {
  const hosts = childrenOf(run.pid).filter((p) => cmdlineOf(p.pid).startsWith('runsvdir-host'));
  expect(hosts).toHaveLength(1);
  return hosts[0]!.pid;
}

describe('runsvdir signals', () => {
  it('exits 0 on SIGTERM and leaves every service supervised: sv still works, the host ends after the last exits', async () => {
    const { svdir, run, pids, host } = await setUp();
    process.kill(run.pid, 'SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    for (const name of ['a', 'b'] as const) {
      expect(isAlive(pids[name])).toBe(true);
      expect(sv(['status', join(svdir, name)]).stdout).toContain(`(pid ${pids[name]})`);
    }
    expect(isAlive(host)).toBe(true);
    expect(sv(['-w', '10', 'down', join(svdir, 'b')]).stdout).toMatch(/^ok: down: /);
    expect(sv(['exit', join(svdir, 'a'), join(svdir, 'b')]).code).toBe(0);
    await waitFor(() => !isAlive(host), 'the host gone once its supervisors ended');
    expect(readFileSync(join(svdir, 'a', 'log', 'out.txt'), 'utf8')).toBe('hello\nbye\n');
  });

  it('after SIGTERM, the host drains the log window’s pipe: services writing to stderr neither block nor get SIGPIPE', async () => {
    const base = cleanup.tempDir('runsvdir-signals-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    // 1 KiB to stderr per round, and the round number to a file (renamed in: never read half-written)
    const dir = makeService(svdir, 'chatty', {
      run: "i=0; while :; do i=$((i+1)); echo $i > count.new; mv count.new count; printf '%01023d\\n' 0 >&2; done",
    });
    const run = startRunsvdir(cleanup, [svdir, `log: ${'.'.repeat(40)}`], { dirs: [base] });
    const pid = await waitRunning(dir);
    const rounds = (): number => Number(textOf(join(dir, 'count')).trim() || 0);
    await waitFor(() => rounds() > 0, 'the first rounds');
    process.kill(run.pid, 'SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    const after = rounds();
    // far more than a pipe holds (64 KiB): someone is reading it
    await waitFor(() => rounds() > after + 256, 'the service writing on', 20_000);
    expect(isAlive(pid)).toBe(true);
    expect(sv(['exit', dir]).code).toBe(0);
  });

  it('stops every service on SIGHUP and exits 111', async () => {
    const { svdir, run, pids, logPid, host } = await setUp();
    process.kill(run.pid, 'SIGHUP');
    expect(await run.exit).toEqual({ code: 111, signal: null });
    await waitFor(() => !isAlive(host), 'the host gone');
    for (const pid of [pids.a, pids.b, logPid]) expect(isAlive(pid)).toBe(false);
    expect(sv(['status', join(svdir, 'a')]).stdout).toContain('runsv not running');
    expect(readFileSync(join(svdir, 'a', 'log', 'out.txt'), 'utf8')).toBe('hello\nbye\n');
  });

  it('stops every service on Ctrl-C (SIGINT), logs drained, and exits 0 only when nothing is left', async () => {
    const { svdir, run, pids, logPid, host } = await setUp();
    process.kill(run.pid, 'SIGINT');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    for (const pid of [pids.a, pids.b, logPid, host]) expect(isAlive(pid)).toBe(false);
    expect(readFileSync(join(svdir, 'a', 'log', 'out.txt'), 'utf8')).toBe('hello\nbye\n');
    expect(readFileSync(join(svdir, 'b', 'supervise', 'stat'), 'utf8')).toBe('down\n');
  });

  it('starts a new service host at once when the host dies, which takes the running services over', async () => {
    const { svdir, run, pids, host } = await setUp();
    process.kill(host, 'SIGKILL');
    await waitFor(() => run.stderr().includes('service host: killed by signal 9, starting it again'), 'the warning');
    const newHost = await waitFor(() => {
      const hosts = childrenOf(run.pid).filter((p) => cmdlineOf(p.pid).startsWith('runsvdir-host'));
      return hosts[0]?.pid;
    }, 'a new host');
    expect(newHost).not.toBe(host);
    for (const name of ['a', 'b'] as const) {
      await waitFor(() => sv(['status', join(svdir, name)]).stdout.startsWith(`run: ${join(svdir, name)}: (pid ${pids[name]})`), `${name} taken over by the new host`);
    }
    expect(run.exited()).toBe(false);
  });

  it('with -P puts the host and every service process in sessions of their own', async () => {
    const { run, pids, logPid, host } = await setUp(['-P']);
    expect(procInfo(host)!.sid).toBe(host);
    for (const pid of [pids.a, pids.b, logPid]) expect(procInfo(pid)!.sid).toBe(pid);
    expect(procInfo(run.pid)!.sid).toBe(run.pid);
  });
});

// runsvdir's per-process mode: runit's exact tree (runsvdir -> runsv -> service), with runit's own
// runsv (RUNIT_TS_RUNSV) or ours (RUNIT_TS_RUNSVDIR_MODE=process).
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, referenceBinary, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { childrenOf, cmdlineOf, procInfo } from './support/procfs.js';
import { startRunsvdir, sv, waitRunning } from './support/runsvdir-run.js';
import { makeService } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const POLITE = "echo hello; trap 'echo bye; exit 0' TERM; while :; do sleep 0.1; done";

function setUp() {
  const base = cleanup.tempDir('runsvdir-process-');
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  makeService(svdir, 'a', { run: POLITE, log: 'exec cat > out.txt' });
  makeService(svdir, 'b');
  return { base, svdir, staging: join(base, 'staging') };
}

/** The runsv processes runsvdir started, by the service they supervise. */
function runsvChildren(runsvdirPid: number): Map<string, number> {
  const map = new Map<string, number>();
  for (const child of childrenOf(runsvdirPid)) {
    const argv = cmdlineOf(child.pid).split('\0');
    map.set(argv[argv.length - 2]!, child.pid);
  }
  return map;
}

describe.each([
  ['runit 2.1.2 runsv', () => ({ RUNIT_TS_RUNSV: referenceBinary('runsv') })],
  ['our runsv', () => ({ RUNIT_TS_RUNSVDIR_MODE: 'process' })],
])('runsvdir with a runsv process per service (%s)', (_which, env) => {
  it('builds runit’s process tree, and sv works on every service', async () => {
    const { base, svdir } = setUp();
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env: env() });
    const pids = { a: await waitRunning(join(svdir, 'a')), b: await waitRunning(join(svdir, 'b')) };
    const runsvs = runsvChildren(run.pid);
    expect([...runsvs.keys()].sort()).toEqual(['a', 'b']);
    expect(procInfo(pids.a)!.ppid).toBe(runsvs.get('a'));
    expect(procInfo(pids.b)!.ppid).toBe(runsvs.get('b'));
    expect(sv(['status', join(svdir, 'a')]).stdout).toMatch(/^run: .*\/a: \(pid \d+\) \d+s; run: log: \(pid \d+\) \d+s\n$/);
    expect(sv(['-w', '10', 'down', join(svdir, 'b')]).stdout).toMatch(/^ok: down: /);
  });

  it('stops a renamed-out service with SIGTERM to its runsv (log drained), and restarts a runsv that exited', async () => {
    const { base, svdir, staging } = setUp();
    mkdirSync(staging);
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env: env() });
    await waitRunning(join(svdir, 'a'));
    const b = await waitRunning(join(svdir, 'b'));
    const runsvA = runsvChildren(run.pid).get('a')!;
    await waitFor(() => textOnceCreated(join(svdir, 'a', 'log', 'out.txt'), 'utf8') === 'hello\n', 'hello logged');
    renameSync(join(svdir, 'a'), join(staging, 'a'));
    await waitFor(() => !isAlive(runsvA), 'runsv a gone');
    expect(readFileSync(join(staging, 'a', 'log', 'out.txt'), 'utf8')).toBe('hello\nbye\n');
    const runsvB = runsvChildren(run.pid).get('b')!;
    expect(sv(['exit', join(svdir, 'b')]).code).toBe(0);
    const again = await waitFor(() => {
      const pid = runsvChildren(run.pid).get('b');
      return pid !== undefined && pid !== runsvB ? pid : undefined;
    }, 'a new runsv for b');
    expect(again).not.toBe(runsvB);
    expect(await waitRunning(join(svdir, 'b'))).not.toBe(b);
  });

  it('leaves its runsv processes running on SIGTERM, and SIGTERMs them on SIGHUP (exit 111)', async () => {
    const { base, svdir } = setUp();
    const first = startRunsvdir(cleanup, [svdir], { dirs: [base], env: env() });
    await waitRunning(join(svdir, 'a'));
    await waitRunning(join(svdir, 'b'));
    const runsvs = [...runsvChildren(first.pid).values()];
    process.kill(first.pid, 'SIGTERM');
    expect(await first.exit).toEqual({ code: 0, signal: null });
    for (const pid of runsvs) expect(isAlive(pid)).toBe(true);
    expect(sv(['exit', join(svdir, 'a'), join(svdir, 'b')]).code).toBe(0);
    for (const pid of runsvs) await waitFor(() => !isAlive(pid), `runsv ${pid} gone after sv exit`);

    const second = startRunsvdir(cleanup, [svdir], { dirs: [base], env: env() });
    await waitRunning(join(svdir, 'a'));
    await waitRunning(join(svdir, 'b'));
    const again = [...runsvChildren(second.pid).values()];
    process.kill(second.pid, 'SIGHUP');
    expect(await second.exit).toEqual({ code: 111, signal: null });
    for (const pid of again) await waitFor(() => !isAlive(pid), `runsv ${pid} gone after SIGHUP`);
  });

  it('with -P starts each runsv in a session of its own', async () => {
    const { base, svdir } = setUp();
    const run = startRunsvdir(cleanup, ['-P', svdir], { dirs: [base], env: env() });
    const a = await waitRunning(join(svdir, 'a'));
    const runsvA = runsvChildren(run.pid).get('a')!;
    expect(procInfo(runsvA)!.sid).toBe(runsvA);
    expect(procInfo(a)!.sid).toBe(runsvA);
  });
});

describe('runsvdir with a runsv that cannot be started', () => {
  it('prints runit’s fatal line for it and keeps trying', async () => {
    const { base, svdir } = setUp();
    const missing = join(base, 'no-such-runsv');
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env: { RUNIT_TS_RUNSV: missing } });
    const line = `runsvdir ${svdir}: fatal: unable to start runsv a: file does not exist\n`;
    await waitFor(() => run.stderr().split(line).length > 2, 'the line, twice (tried again)');
    expect(run.exited()).toBe(false);
  });
});

// A supervisor that dies is invisible: the next service host (or runsv) takes over what the dead one
// left running, with the same pids, the same supervise/ state, the same log pipes, and the exit
// statuses runsvdir reaped meanwhile. Real processes, the real sv, kill -9.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, instancesIn, isAlive, waitFor } from '@runit-ts/test-support';
import { childrenOf, cmdlineOf } from './support/procfs.js';
import { startRunsvdir, sv, type RunsvdirRun } from './support/runsvdir-run.js';
import { makeService, supervisedPid, textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A numbered line every 5 ms, on stdout. */
const COUNTER = 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.005; done';

/** The numbers in a log, each once and in order from 1 (a restart would start again from 1). */
function checkCount(path: string): number {
  const numbers = readFileSync(path, 'utf8').trimEnd().split('\n').map(Number);
  numbers.forEach((n, i) => expect(n, `line ${i + 1} of ${path}`).toBe(i + 1));
  return numbers.length;
}

function hostsOf(run: RunsvdirRun): number[] {
  return childrenOf(run.pid)
    .filter((p) => cmdlineOf(p.pid).startsWith('runsvdir-host'))
    .map((p) => p.pid);
}

/** Waits until `sv status dir` shows `pid` running again (a new supervisor behind supervise/). */
const supervisedAgain = (dir: string, pid: number, what: string): Promise<unknown> =>
  waitFor(() => sv(['status', dir]).stdout.startsWith(`run: ${dir}: (pid ${pid})`), what, 30_000);

async function setUp(env: NodeJS.ProcessEnv = {}) {
  const base = cleanup.tempDir('runsvdir-adoption-');
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  const logged = makeService(svdir, 'logged', { run: COUNTER, log: 'exec cat >> out.txt' });
  const hosted = makeService(svdir, 'hosted', { run: COUNTER });
  mkdirSync(join(hosted, 'main'));
  writeFileSync(join(hosted, 'hosted-log'), './main\n');
  const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env });
  return { base, svdir, logged, hosted, run };
}

describe('adoption after a service host dies', () => {
  it('kill -9 of the host twice: the same pids and loggers, sv works, one instance, no line lost or repeated', async () => {
    const { logged, hosted, run } = await setUp();
    const pids = {
      logged: await waitFor(() => supervisedPid(logged) || undefined, 'logged running'),
      log: await waitFor(() => supervisedPid(join(logged, 'log')) || undefined, 'its logger running'),
    };
    for (let round = 1; round <= 2; round++) {
      const [host] = hostsOf(run);
      const hostedPid = await waitFor(() => supervisedPid(hosted) || undefined, 'hosted running');
      await waitFor(() => textOf(join(logged, 'log', 'out.txt')).split('\n').length > 20 * round, 'lines logged');
      process.kill(host!, 'SIGKILL');
      await waitFor(() => !isAlive(host!), 'the host gone');
      await waitFor(() => hostsOf(run).some((pid) => pid !== host), 'a new host');
      await supervisedAgain(logged, pids.logged, 'the logged service adopted');
      await supervisedAgain(hosted, hostedPid, 'the hosted-log service adopted');
      expect(sv(['status', join(logged, 'log')]).stdout).toMatch(new RegExp(`^run: ${join(logged, 'log')}: \\(pid ${pids.log}\\)`));
      expect(instancesIn(logged)).toEqual([pids.logged]);
      expect(instancesIn(hosted)).toEqual([hostedPid]);
    }
    expect(sv(['-w', '10', 'down', logged, hosted]).stdout).toMatch(/^ok: down: .*\nok: down: /);
    expect(instancesIn(logged)).toEqual([]);
    expect(instancesIn(hosted)).toEqual([]);
    expect(isAlive(pids.log)).toBe(true); // the logger was never restarted
    expect(checkCount(join(logged, 'log', 'out.txt'))).toBeGreaterThan(40);
    // the hosted log's lines across `current` and the files rotated from an unclean end: in order from
    // 1, none repeated (a service restarted for want of a reader would count from 1 again); a host
    // killed between reading a chunk and writing it loses that chunk, as kill -9 of svlogd does
    const files = readdirSync(join(hosted, 'main')).filter((f) => f.startsWith('@')).sort();
    const numbers = [...files, 'current'].flatMap((f) => readFileSync(join(hosted, 'main', f), 'utf8').trimEnd().split('\n')).filter(Boolean).map(Number);
    expect(numbers[0]).toBe(1);
    numbers.forEach((n, i) => i > 0 && expect(n, `hosted line ${i + 1}`).toBeGreaterThan(numbers[i - 1]!));
    const gaps = numbers.filter((n, i) => i > 0 && n !== numbers[i - 1]! + 1);
    expect(gaps.length, `lines missing before ${gaps.join(', ')}`).toBeLessThanOrEqual(2);
    expect(numbers.length).toBeGreaterThan(40);
  });

  it('the exit statuses runsvdir reaps reach ./finish: one ended after the adoption, one while no host ran', async () => {
    const base = cleanup.tempDir('runsvdir-adoption-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    const later = makeService(svdir, 'later', { run: "trap 'exit 3' TERM; touch ready; while :; do sleep 0.05; done" });
    const meanwhile = makeService(svdir, 'meanwhile', { run: "trap 'exit 7' USR1; touch ready; while :; do sleep 0.05; done" });
    for (const dir of [later, meanwhile]) {
      writeFileSync(join(dir, 'finish'), '#!/bin/sh\necho "$@" >> finished\n', { mode: 0o755 });
      writeFileSync(join(dir, 'down'), ''); // started once by hand: not again after it ends
    }
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    // the supervisor makes supervise/ok after its first status: sv needs both
    const supervised = (dir: string): boolean => textOf(join(dir, 'supervise', 'stat')) === 'down\n' && existsSync(join(dir, 'supervise', 'ok'));
    await waitFor(() => supervised(later) && supervised(meanwhile), 'both supervised');
    expect(sv(['once', later, meanwhile]).code).toBe(0);
    const pids = {
      later: await waitFor(() => supervisedPid(later) || undefined, 'later running'),
      meanwhile: await waitFor(() => supervisedPid(meanwhile) || undefined, 'meanwhile running'),
    };
    await waitFor(() => [later, meanwhile].every((dir) => readdirSync(dir).includes('ready')), 'traps set');
    // runsvdir stopped: the host's death leaves both to it, and `meanwhile` ends before any new host
    process.kill(run.pid, 'SIGSTOP');
    const [host] = hostsOf(run);
    process.kill(host!, 'SIGKILL');
    process.kill(pids.meanwhile, 'SIGUSR1');
    await waitFor(() => childrenOf(run.pid).some((p) => p.pid === pids.meanwhile) || !isAlive(pids.meanwhile), 'meanwhile orphaned or ended');
    process.kill(run.pid, 'SIGCONT');
    await waitFor(() => textOf(join(meanwhile, 'finished')) !== '', './finish of meanwhile', 15_000);
    expect(textOf(join(meanwhile, 'finished'))).toBe('7 0\n');
    await supervisedAgain(later, pids.later, 'later adopted');
    expect(sv(['-w', '10', 'down', later]).code).toBe(0);
    await waitFor(() => textOf(join(later, 'finished')) !== '', './finish of later');
    expect(textOf(join(later, 'finished'))).toBe('3 0\n');
  });

  it('per-process mode: kill -9 of our runsv, the next runsv takes over the same pids and log pipe', async () => {
    const { logged, hosted, run } = await setUp({ RUNIT_TS_RUNSVDIR_MODE: 'process' });
    const pids = {
      logged: await waitFor(() => supervisedPid(logged) || undefined, 'logged running'),
      log: await waitFor(() => supervisedPid(join(logged, 'log')) || undefined, 'its logger running'),
    };
    await waitFor(() => textOf(join(logged, 'log', 'out.txt')).split('\n').length > 20, 'lines logged');
    const runsv = childrenOf(run.pid).find((p) => cmdlineOf(p.pid).endsWith('runsv.cjs\0logged\0'))!.pid;
    process.kill(runsv, 'SIGKILL');
    await waitFor(() => childrenOf(run.pid).some((p) => p.pid !== runsv && cmdlineOf(p.pid).endsWith('runsv.cjs\0logged\0')), 'a new runsv');
    await supervisedAgain(logged, pids.logged, 'the logged service adopted');
    expect(instancesIn(logged)).toEqual([pids.logged]);
    expect(sv(['-w', '10', 'down', logged, hosted]).code).toBe(0);
    expect(isAlive(pids.log)).toBe(true);
    expect(checkCount(join(logged, 'log', 'out.txt'))).toBeGreaterThan(20);
  });

  it('runsvdir itself killed and started again (runit\'s stage-2 restart, -P): the old host keeps the services, the new one waits, then takes them over', async () => {
    const { svdir, logged, hosted, run } = await setUp();
    const pid = await waitFor(() => supervisedPid(logged) || undefined, 'logged running');
    const hostedPid = await waitFor(() => supervisedPid(hosted) || undefined, 'hosted running');
    const [oldHost] = hostsOf(run);
    process.kill(run.pid, 'SIGKILL');
    await run.exit;
    const again = startRunsvdir(cleanup, [svdir], { dirs: [svdir] });
    await waitFor(() => again.stderr().includes('runsv logged: warning: supervise/lock is held by another supervisor: waiting for it to end'), 'the new host waiting');
    expect(instancesIn(logged)).toEqual([pid]);
    expect(sv(['status', logged]).stdout).toMatch(new RegExp(`^run: ${logged}: \\(pid ${pid}\\)`));
    process.kill(oldHost!, 'SIGKILL');
    // until it is gone, its supervise/ok and status still answer sv as if nothing happened
    await waitFor(() => !isAlive(oldHost!), 'the old host gone');
    await supervisedAgain(logged, pid, 'taken over by the new host');
    expect(instancesIn(logged)).toEqual([pid]);
    expect(sv(['-w', '10', 'down', logged]).stdout).toMatch(/^ok: down: /);
    expect(checkCount(join(logged, 'log', 'out.txt'))).toBeGreaterThan(0);
    expect(again.stderr().match(/waiting for it to end/g)).toHaveLength(2); // once for each service, not once a second
    // the hosted log is opened once the old host has let go of it, not skipped while it is locked; the
    // hosted service is adopted too (the first runsvdir's runit-ts-fdholder kept a reader on its pipe)
    // and the new host reads on from the pipe it writes to
    const hostedLog = (): string => textOf(join(hosted, 'main', 'current'));
    const before = hostedLog().length;
    await waitFor(() => hostedLog().length > before, 'the hosted service logging under the new host');
    expect(supervisedPid(hosted)).toBe(hostedPid);
    expect(again.stdout()).toBe('');
    expect(again.stderr()).not.toContain('unable to lock directory');
  });
});

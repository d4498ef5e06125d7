// runsvdir's fd-holder: with log/run's svlogd handed off to the service host (the default), the log
// pipe's readers are the host, runsvdir's copy, and runit-ts-fdholder's copy. Killing runsvdir and the
// host together leaves the holder: the service keeps writing (no SIGPIPE), and the next runsvdir
// adopts it and logs on. Real processes, kill -9, the real sv.
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, waitFor } from '@runit-ts/test-support';
import { childrenOf, cmdlineOf, procInfo } from './support/procfs.js';
import { startRunsvdir, sv, type RunsvdirRun } from './support/runsvdir-run.js';
import { makeService, supervisedPid, textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SVLOGD = fileURLToPath(new URL('../../logger/bin/svlogd', import.meta.url));
/** Numbered lines, one every 10 ms, for ever: a gap or a repeat in the log is a lost or doubled line. */
const COUNTER = 'i=0; while :; do echo "line $i"; i=$((i+1)); sleep 0.01; done';

function loggedService(svdir: string, name: string): string {
  return makeService(svdir, name, { run: `exec 2>&1\n${COUNTER}`, log: `mkdir -p ./main\nexec ${SVLOGD} ./main` });
}

const current = (dir: string): string => textOf(join(dir, 'log', 'main', 'current'));
const numbers = (text: string): number[] => [...text.matchAll(/^line (\d+)$/gm)].map((m) => Number(m[1]));

async function loggedBeyond(dir: string, n: number): Promise<number[]> {
  return waitFor(() => {
    const seen = numbers(current(dir));
    return seen.length > 0 && seen[seen.length - 1]! > n ? seen : undefined;
  }, `line ${n + 1} logged`);
}

const childNamed = (parent: number, name: string): number | undefined =>
  childrenOf(parent).find((p) => cmdlineOf(p.pid).startsWith(name))?.pid;

/** What /proc says each of the process's fds is (pipe:[ino], socket:[ino], a path). */
function fdTargets(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** The service's stdout: its log pipe. */
const logPipeOf = (servicePid: number): string => readlinkSync(`/proc/${servicePid}/fd/1`);

/** The holder runsvdir started, once it holds the given pipe. */
const holderHolding = (run: RunsvdirRun, pipe: string): Promise<number> =>
  waitFor(() => {
    const holder = childNamed(run.pid, 'runit-ts-fdholder');
    return holder !== undefined && fdTargets(holder).includes(pipe) ? holder : undefined;
  }, `runit-ts-fdholder holding ${pipe}`);

/** Bytes the process has written so far (/proc/PID/io wchar). */
const bytesWritten = (pid: number): number => Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);

describe('runit-ts-fdholder', () => {
  it('keeps a handed-off log pipe read when runsvdir and its host are killed together: the service writes on, the next runsvdir adopts it and logs on', async () => {
    const base = cleanup.tempDir('fd-holder-');
    const svdir = join(base, 'service');
    const dir = loggedService(svdir, 'counter');
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    await loggedBeyond(dir, 5);
    expect(procInfo(supervisedPid(join(dir, 'log')))?.state).toBe('Z'); // handed off: no svlogd process
    const servicePid = supervisedPid(dir);
    const pipe = logPipeOf(servicePid);
    const holder = await holderHolding(run, pipe);
    cleanup.killLater(holder); // it outlives this runsvdir by design
    const host = childNamed(run.pid, 'runsvdir-host')!;
    process.kill(run.pid, 'SIGKILL');
    process.kill(host, 'SIGKILL');
    await run.exit;
    await waitFor(() => !isAlive(host), 'the host gone');
    // no reader but the holder: a write without one would end the service by SIGPIPE
    const written = bytesWritten(servicePid);
    await waitFor(() => !isAlive(servicePid) || bytesWritten(servicePid) > written + 200, 'the service writing on');
    expect(isAlive(servicePid)).toBe(true);
    expect(isAlive(holder)).toBe(true);

    const again = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    await waitFor(() => sv(['status', dir]).stdout.startsWith(`run: ${dir}: (pid ${servicePid})`), 'the service adopted', 30_000);
    const last = numbers(current(dir)).at(-1) ?? 0;
    await loggedBeyond(dir, last + 50);
    // an svlogd that ended uncleanly leaves `current` to be renamed @….u by the next one: every file
    const logDir = join(dir, 'log', 'main');
    const files = [...readdirSync(logDir).filter((f) => f.startsWith('@')).sort(), 'current'];
    const seen = files.flatMap((f) => numbers(readFileSync(join(logDir, f), 'utf8')));
    expect(seen[0]).toBe(0);
    seen.forEach((n, i) => i > 0 && expect(n, `line ${i}`).toBeGreaterThan(seen[i - 1]!));
    // the host may have read a chunk it had not written when it was killed, as kill -9 of svlogd loses
    // what svlogd had read: at most one gap, and nothing the pipe held meanwhile
    const gaps = seen.filter((n, i) => i > 0 && n !== seen[i - 1]! + 1);
    expect(gaps.length, `lines missing before ${gaps.join(', ')}`).toBeLessThanOrEqual(1);
    expect(supervisedPid(dir)).toBe(servicePid);
    // the new tree's own holder holds the same pipe
    await holderHolding(again, pipe);
  });

  it('is started again when it dies, and given every pipe', async () => {
    const base = cleanup.tempDir('fd-holder-');
    const svdir = join(base, 'service');
    const dirs = ['one', 'two'].map((name) => loggedService(svdir, name));
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    for (const dir of dirs) await loggedBeyond(dir, 2);
    const pipes = dirs.map((dir) => logPipeOf(supervisedPid(dir)));
    const first = await holderHolding(run, pipes[0]!);
    process.kill(first, 'SIGKILL');
    await waitFor(() => !isAlive(first), 'the holder gone');
    const second = await holderHolding(run, pipes[0]!);
    expect(second).not.toBe(first);
    expect(fdTargets(second)).toEqual(expect.arrayContaining(pipes));
  });

  it('lets go of a removed service’s pipe, and exits with runsvdir after Ctrl-C', async () => {
    const base = cleanup.tempDir('fd-holder-');
    const svdir = join(base, 'service');
    const [kept, removed] = ['kept', 'removed'].map((name) => loggedService(svdir, name));
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    for (const dir of [kept!, removed!]) await loggedBeyond(dir, 2);
    const removedPipe = logPipeOf(supervisedPid(removed!));
    const holder = await holderHolding(run, removedPipe);
    rmSync(removed!, { recursive: true, force: true });
    await waitFor(() => !fdTargets(holder).includes(removedPipe), 'the removed service’s pipe let go of', 30_000);
    expect(fdTargets(holder)).toContain(logPipeOf(supervisedPid(kept!)));
    process.kill(run.pid, 'SIGINT');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    // told by runsvdir, which waited for its exit: not left for its 60 s wait for a successor
    expect(isAlive(holder)).toBe(false);
    expect(existsSync(join(kept!, 'log', 'main', 'current'))).toBe(true);
  });
});

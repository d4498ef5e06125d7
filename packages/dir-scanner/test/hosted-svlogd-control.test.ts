// sv's commands on DIR/log and runsvdir's SIGHUP, with a log/run that handed its dirs to the host
// (RUNIT_TS_HOSTED_SVLOGD=on): each acts as on a running svlogd, and no line is lost across any of them.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, waitFor } from '@runit-ts/test-support';
import { procInfo } from './support/procfs.js';
import { startRunsvdir, sv } from './support/runsvdir-run.js';
import { makeService, supervisedPid, textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const HAND_OFF = { RUNIT_TS_HOSTED_SVLOGD: 'on' };
const SVLOGD = fileURLToPath(new URL('../../logger/bin/svlogd', import.meta.url));

/**
 * Numbered lines, one every 10 ms, for ever: a gap or a repeat in the log is a lost or doubled line.
 * ./last gets each number once its line is written, so the log must reach at least that far.
 */
const COUNTER = 'i=0; while :; do echo "line $i"; echo $i > last; i=$((i+1)); sleep 0.01; done';

const logDir = (dir: string): string => join(dir, 'log', 'main');
const current = (dir: string): string => textOf(join(logDir(dir), 'current'));
const numbers = (text: string): number[] => [...text.matchAll(/^line (\d+)$/gm)].map((m) => Number(m[1]));
const handedOff = (dir: string): boolean => procInfo(supervisedPid(join(dir, 'log')))?.state === 'Z';

/** Everything logged so far, rotated files first (their names sort by time), then current. */
function everything(dir: string): number[] {
  const rotated = readdirSync(logDir(dir)).filter((name) => /^@.*\.[su]$/.test(name)).sort();
  return [...rotated, 'current'].flatMap((name) => numbers(readFileSync(join(logDir(dir), name), 'utf8')));
}

function expectConsecutiveFromZero(seen: number[]): void {
  expect(seen[0]).toBe(0);
  const gaps = seen.filter((n, i) => i > 0 && n !== seen[i - 1]! + 1);
  expect(gaps, 'lines missing or repeated before these').toEqual([]);
}

async function loggedBeyond(dir: string, n: number): Promise<void> {
  await waitFor(() => (numbers(current(dir)).at(-1) ?? -1) > n, `line ${n + 1} logged`);
}

function start(name: string): { dir: string; run: ReturnType<typeof startRunsvdir> } {
  const base = cleanup.tempDir('hosted-svlogd-control-');
  const svdir = join(base, 'service');
  const dir = makeService(svdir, name, { run: `exec 2>&1\n${COUNTER}`, log: `mkdir -p ./main\nexec ${SVLOGD} ./main` });
  const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env: HAND_OFF });
  return { dir, run };
}

describe('sv and runsvdir acting on a handed-off svlogd', () => {
  it('sv hup DIR/log rereads config: rotation by size starts, every line kept across the rotated files', async () => {
    const { dir } = start('reread');
    await loggedBeyond(dir, 5);
    expect(handedOff(dir)).toBe(true);
    writeFileSync(join(logDir(dir), 'config'), 's2000\n');
    expect(sv(['hup', join(dir, 'log')]).code).toBe(0);
    // ~9 bytes every 10 ms: without the new config (99999 bytes) no file would rotate for ~100 s
    await waitFor(() => readdirSync(logDir(dir)).filter((name) => name.endsWith('.s')).length >= 2, 'two files rotated by size');
    expectConsecutiveFromZero(everything(dir));
  });

  it('sv down DIR/log closes the log cleanly and keeps the pipe; the service writes on, and sv up logs every line', async () => {
    const { dir } = start('paused');
    await loggedBeyond(dir, 5);
    const service = supervisedPid(dir);
    expect(sv(['down', join(dir, 'log')]).code).toBe(0);
    await waitFor(() => /; down: log: \d+s, normally up\n$/.test(sv(['status', dir]).stdout), 'the log down');
    expect(statSync(join(logDir(dir), 'current')).mode & 0o777).toBe(0o744);
    const whileDown = numbers(current(dir)).at(-1)!;
    await waitFor(() => Number(textOf(join(dir, 'last'))) > whileDown + 20, 'twenty lines written into the pipe while the log is down');
    expect(numbers(current(dir)).at(-1)).toBe(whileDown);
    expect(sv(['up', join(dir, 'log')]).code).toBe(0);
    await waitFor(() => handedOff(dir), 'the log started and handed over again');
    await loggedBeyond(dir, whileDown + 50);
    expect(supervisedPid(dir)).toBe(service); // never hit by SIGPIPE
    expectConsecutiveFromZero(everything(dir));
  });

  it('runsvdir SIGHUP: every runsv is told to stop, each log drains to the last line and closes cleanly, exit 111', async () => {
    const { dir, run } = start('hangup');
    await loggedBeyond(dir, 5);
    const service = supervisedPid(dir);
    process.kill(run.pid, 'SIGHUP');
    expect(await run.exit).toEqual({ code: 111, signal: null });
    await waitFor(() => !isAlive(service), 'the service stopped');
    await waitFor(() => (statSync(join(logDir(dir), 'current')).mode & 0o777) === 0o744, 'current closed cleanly');
    await waitFor(() => sv(['status', dir]).stdout.includes('runsv not running'), 'the supervisor gone');
    expect(current(dir)).toMatch(/^(line \d+\n)+$/);
    const logged = everything(dir);
    expectConsecutiveFromZero(logged);
    expect(logged.at(-1)).toBeGreaterThanOrEqual(Number(textOf(join(dir, 'last'))));
  });
});

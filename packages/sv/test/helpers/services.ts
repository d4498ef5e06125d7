// Service dirs for tests and a REAL runsv (the reference binary) supervising them.
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeStatus } from '@runit-ts/protocol';
import { type Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';

export interface ServiceSpec {
  /** Body of ./run after `#!/bin/sh` (default: a long sleep). */
  run?: string;
  /** A log/ with its own run (a long cat). */
  log?: boolean;
  down?: boolean;
  /** Body of ./check after `#!/bin/sh`, or the raw file when it starts with `!raw:`. */
  check?: string;
  finish?: string;
}

export const FOREVER = 'exec sleep 1000';
export const IGNORE_TERM = "trap '' TERM\nexec sleep 1000";

function script(path: string, body: string): void {
  writeFileSync(path, body.startsWith('!raw:') ? body.slice(5) : `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

export function makeService(dir: string, spec: ServiceSpec = {}): string {
  mkdirSync(dir, { recursive: true });
  script(join(dir, 'run'), spec.run ?? FOREVER);
  if (spec.down) writeFileSync(join(dir, 'down'), '');
  if (spec.check !== undefined) script(join(dir, 'check'), spec.check);
  if (spec.finish !== undefined) script(join(dir, 'finish'), spec.finish);
  if (spec.log) {
    mkdirSync(join(dir, 'log'));
    script(join(dir, 'log', 'run'), 'exec cat >/dev/null');
  }
  return dir;
}

/** The text of supervise/stat, or undefined while runsv has not written it. */
export function readStat(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, 'supervise', 'stat'), 'utf8').trimEnd();
  } catch {
    return undefined;
  }
}

/**
 * Waits until supervise/stat matches and supervise/status says the same: runsv renames stat into
 * place before status, so stat alone can be ahead of a status rename still to come.
 */
export function waitForStat(dir: string, wanted: string | RegExp, what = `${dir} to be ${String(wanted)}`): Promise<string> {
  return waitFor(() => {
    const stat = readStat(dir);
    if (stat === undefined || !(typeof wanted === 'string' ? stat === wanted : wanted.test(stat))) return false;
    try {
      const status = decodeStatus(readFileSync(join(dir, 'supervise', 'status')));
      const agrees =
        status.state === stat.split(',')[0] &&
        status.paused === stat.includes(', paused') &&
        status.gotTerm === stat.includes(', got TERM');
      return agrees && stat;
    } catch {
      return false;
    }
  }, what, 15_000);
}

export interface Runsv {
  pid: number;
  exited: Promise<number | null>;
}

let runsvBinary = (): string => referenceBinary('runsv');

/** Which runsv supervises the services from now on: the reference one unless a test says otherwise. */
export function superviseWith(binary: () => string): void {
  runsvBinary = binary;
}

/**
 * Starts runsv (the reference one by default) on dir in its own process group (its services share
 * it), so cleanup ends runsv and every process it started with one SIGKILL to the group.
 */
export function startRunsv(cleanup: Cleanup, dir: string): Runsv {
  const child = spawn(runsvBinary(), [dir], { stdio: 'ignore', detached: true });
  const pid = child.pid!;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanup.add(async () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
    await exited;
  });
  return { pid, exited };
}

/**
 * Waits until ./run (or ./finish) has exec'd its final program: runsv reports `run` from the fork,
 * and a signal sent before the script's `trap` or `exec` ran would meet runsv's child or /bin/sh
 * instead. The child's comm is `runsv` until it execs the script, then `run` or `finish` (a #!
 * script's file name) until it execs.
 */
export function waitForExec(dir: string): Promise<true> {
  return waitFor(() => {
    try {
      const pid = readFileSync(join(dir, 'supervise', 'pid'), 'utf8').trim();
      const comm = pid === '' ? '' : readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      return comm !== '' && comm !== 'runsv' && comm !== 'run' && comm !== 'finish';
    } catch {
      return false;
    }
  }, `${dir}/run to exec its program`, 15_000);
}

/**
 * Waits until a client can open supervise/ok: runsv (runit's as ours) writes the first status
 * before it makes that FIFO, so an sv run in between says "unable to open supervise/ok".
 */
function waitForOk(dir: string): Promise<true> {
  return waitFor(() => {
    try {
      closeSync(openSync(join(dir, 'supervise', 'ok'), constants.O_WRONLY | constants.O_NONBLOCK));
      return true;
    } catch {
      return false;
    }
  }, `${dir}/supervise/ok to have a reader`, 15_000);
}

/**
 * Starts runsv and waits until it takes clients, the service (and its log) reached `stat` and, in
 * `run` or `finish`, its program exec'd. runsv writes `finish` with pid 0 when ./run is reaped and
 * only then starts ./finish and writes its pid: two sv runs in that gap would read two records.
 */
export async function superviseUntil(cleanup: Cleanup, dir: string, stat: string | RegExp): Promise<Runsv> {
  const runsv = startRunsv(cleanup, dir);
  await waitForStat(dir, stat);
  if (stat === 'run' || stat === 'finish') await waitForExec(dir);
  const logged = statSync(join(dir, 'log'), { throwIfNoEntry: false })?.isDirectory() === true;
  if (logged) {
    await waitForStat(join(dir, 'log'), 'run');
    await waitForExec(join(dir, 'log'));
  }
  await waitForOk(dir);
  if (logged) await waitForOk(join(dir, 'log'));
  return runsv;
}

/** Writes control bytes the way a client does (runsv holds the FIFO open, so this cannot block). */
export function control(dir: string, bytes: string): void {
  writeFileSync(join(dir, 'supervise', 'control'), bytes);
}

/**
 * Waits until the wall clock is in a later second than the service's status stamp: sv compares
 * its start second with the stamp, so a run started in the same second as the stamp could take a
 * state for "already done" (runit's race, docs/runit-behaviour.md §4.5). Scenarios that must not
 * race wait here.
 */
export function settle(dir: string): Promise<true> {
  const stamp = decodeStatus(readFileSync(join(dir, 'supervise', 'status'))).stamp.seconds;
  return waitFor(() => Math.floor(Date.now() / 1000) > stamp, 'a new second after the status stamp', 5_000);
}

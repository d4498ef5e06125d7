// Service dirs for tests and a REAL runsv (the reference binary) supervising them.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

export function waitForStat(dir: string, wanted: string | RegExp, what = `${dir} to be ${String(wanted)}`): Promise<string> {
  return waitFor(() => {
    const stat = readStat(dir);
    return stat !== undefined && (typeof wanted === 'string' ? stat === wanted : wanted.test(stat)) && stat;
  }, what, 15_000);
}

export interface Runsv {
  pid: number;
  exited: Promise<number | null>;
}

/**
 * Starts the reference runsv on dir in its own process group (its services share it), so cleanup
 * ends runsv and every process it started with one SIGKILL to the group.
 */
export function startRunsv(cleanup: Cleanup, dir: string): Runsv {
  const child = spawn(referenceBinary('runsv'), [dir], { stdio: 'ignore', detached: true });
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

/** Starts runsv and waits until the service (and its log) reached `stat`. */
export async function superviseUntil(cleanup: Cleanup, dir: string, stat: string | RegExp): Promise<Runsv> {
  const runsv = startRunsv(cleanup, dir);
  await waitForStat(dir, stat);
  if (statSync(join(dir, 'log'), { throwIfNoEntry: false })?.isDirectory()) await waitForStat(join(dir, 'log'), 'run');
  return runsv;
}

/** Writes control bytes the way a client does (runsv holds the FIFO open, so this cannot block). */
export function control(dir: string, bytes: string): void {
  writeFileSync(join(dir, 'supervise', 'control'), bytes);
}

/**
 * Waits until the wall clock is in a later second than the service's status stamp: sv compares
 * its start second with the stamp, so a run started in the same second as the stamp could take a
 * state for "already done" (runit's race, spec §4.5). Scenarios that must not race wait here.
 */
export function settle(dir: string): Promise<true> {
  const stamp = decodeStatus(readFileSync(join(dir, 'supervise', 'status'))).stamp.seconds;
  return waitFor(() => Math.floor(Date.now() / 1000) > stamp, 'a new second after the status stamp', 5_000);
}

// Our runsv and sv as real processes, for tests that run them with child_process (no reaper there):
// runsv in a process group of its own that clean-up kills, sv in the background or to completion, and
// the FIFO gate a test's ./run waits at.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor, type Cleanup } from '@runit-ts/test-support';
import { OUR_RUNSV } from './commands.js';

export const OUR_SV = fileURLToPath(new URL('../../sv/bin/sv', import.meta.url));

/**
 * Starts our runsv (or `runsv`, runit's say) on dir in a process group of its own, which clean-up
 * kills; its stderr goes to the file `stderr` (appended) when given, else nowhere.
 */
export function startRunsv(cleanup: Cleanup, dir: string, runsv = OUR_RUNSV, stderr?: string): void {
  const errFd = stderr === undefined ? 'ignore' : openSync(stderr, 'a');
  const child = spawn(runsv, [dir], { stdio: ['ignore', 'ignore', errFd], detached: true });
  if (typeof errFd === 'number') closeSync(errFd);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanup.add(async () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  });
}

export interface Waiting {
  /** Resolves with sv's exit code and stdout, and when (Date.now()) it exited. */
  done: Promise<{ code: number | null; stdout: string; at: number }>;
  exited: () => boolean;
}

/** Runs our sv without blocking this process (its waits need our event loop free). */
export function svInBackground(cleanup: Cleanup, args: string[]): Waiting {
  const child = spawn(OUR_SV, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH } });
  cleanup.killLater(child.pid!);
  let stdout = '';
  let exited = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; at: number }>((resolve) =>
    child.once('close', (code) => {
      exited = true;
      resolve({ code, stdout, at: Date.now() });
    }),
  );
  return { done, exited: () => exited };
}

/** `sv status --json DIR` by our sv, parsed. */
export const statusJson = (dir: string): Record<string, unknown> => JSON.parse(run(OUR_SV, ['status', '--json', dir]).stdout) as Record<string, unknown>;

export const run = (file: string, args: string[]): { code: number | null; stdout: string } => {
  const result = spawnSync(file, args, { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout };
};

/** Opens ./run's gate (a FIFO it reads a line from before saying it is ready) once ./run reads it. */
export async function openGate(dir: string): Promise<number> {
  let fd = -1;
  await waitFor(
    () => {
      try {
        fd = openSync(join(dir, 'gate'), constants.O_WRONLY | constants.O_NONBLOCK);
        return true;
      } catch {
        return false; // ENXIO: ./run has not opened it yet
      }
    },
    `${dir}/run to read its gate`,
    15_000,
  );
  writeSync(fd, '\n');
  closeSync(fd);
  return Date.now();
}

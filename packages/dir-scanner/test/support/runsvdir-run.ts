// Starting runsvdir (ours or runit's) as a real process in a session of its own, and ending it and
// everything it started when the test is over, pass or fail.
import { spawn, spawnSync } from 'node:child_process';
import type { Cleanup } from '@runit-ts/test-support';
import { referenceBinary, waitFor } from '@runit-ts/test-support';
import { dirname } from 'node:path';
import { ourCommand } from './commands.js';
import { endTestProcesses } from './procfs.js';

export interface RunsvdirRun {
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when runsvdir itself has exited. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited(): boolean;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Run runit's runsvdir (with runit's runsv on PATH) instead of ours. */
  reference?: boolean;
  /** Directories whose processes belong to this test (services' cwds), for the final clean-up. */
  dirs: string[];
  /** A shell command run first in runsvdir's process, before it execs runsvdir. */
  before?: string;
}

export function startRunsvdir(cleanup: Cleanup, args: string[], options: StartOptions): RunsvdirRun {
  const env = { PATH: process.env.PATH, ...options.env };
  let command: string[];
  if (options.reference) {
    const runsvdir = referenceBinary('runsvdir');
    env.PATH = `${dirname(referenceBinary('runsv'))}:${env.PATH}`;
    command = [runsvdir];
  } else {
    command = [process.execPath, ourCommand('runsvdir')];
  }
  if (options.before !== undefined) command = ['/bin/sh', '-c', `${options.before}; exec "$@"`, 'sh', ...command];
  const child = spawn(command[0]!, [...command.slice(1), ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const pid = child.pid!;
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let done = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  cleanup.add(async () => {
    child.stdout!.destroy();
    child.stderr!.destroy();
    await endTestProcesses([pid], options.dirs);
  });
  return { pid, stdout: () => stdout, stderr: () => stderr, exit, exited: () => done };
}

/** runit's own sv, run with the given arguments. */
export function sv(args: string[], env: NodeJS.ProcessEnv = {}): { stdout: string; stderr: string; code: number | null } {
  const result = spawnSync(referenceBinary('sv'), args, { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

/** Waits until `sv status dir` starts with `run: ` and has a pid; returns that pid. */
export async function waitRunning(dir: string, timeoutMs = 15_000): Promise<number> {
  return waitFor(
    () => {
      const match = /^run: [\s\S]*?: \(pid (\d+)\)/.exec(sv(['status', dir]).stdout);
      return match ? Number(match[1]) : undefined;
    },
    `${dir} running`,
    timeoutMs,
  );
}

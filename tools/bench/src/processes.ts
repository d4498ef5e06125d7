// Starting the programs under test and ending them with everything they started, by pid.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Cleanup } from '@runit-ts/test-support';
import { isAlive, sleep } from '@runit-ts/test-support';
import { processTree } from './proc-memory.js';

export interface Daemon {
  pid: number;
  /** The last few KiB the daemon (and what inherited its stderr) wrote to stderr. */
  stderr(): string;
  /** Resolves when the daemon itself has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface DaemonOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const STDERR_KEPT = 8192;

/**
 * Starts a long-running program in a session (and process group) of its own, with stdin and stdout on
 * /dev/null and stderr kept for error messages. The cleanup kills that group and every process below
 * the program (see stopTree) if the scenario has not ended them.
 */
export function startDaemon(cleanup: Cleanup, file: string, args: readonly string[], options: DaemonOptions = {}): Daemon {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], env: options.env ?? process.env, cwd: options.cwd, detached: true });
  if (child.pid === undefined) throw new Error(`bench: cannot start ${file}`);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const pid = child.pid;
  cleanup.add(async () => {
    await stopTree(pid, 'SIGKILL', 0);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is empty
    }
  });
  return { pid, stderr: () => stderr, exited };
}

/** Waits until every pid has gone (or is a zombie), up to timeoutMs; returns those still alive. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && performance.now() < deadline) {
    await sleep(20);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/**
 * Sends `signal` to root, waits up to graceMs for root and everything that was below it to end, then
 * SIGKILLs whatever is left, by pid.
 */
export async function stopTree(root: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  const pids = isAlive(root) ? processTree(root) : [];
  try {
    process.kill(root, signal);
  } catch {
    // already gone
  }
  const left = await waitGone(pids, graceMs);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  await waitGone(left, 5_000);
}

/** The pid in a service's supervise/pid, or undefined when there is none (yet). */
export function supervisedPid(serviceDir: string): number | undefined {
  try {
    const text = readFileSync(`${serviceDir}/supervise/pid`, 'utf8').trim();
    return text === '' ? undefined : Number(text);
  } catch {
    return undefined;
  }
}

/** The first word of supervise/stat (`run`, `down`, `finish`), or undefined. */
export function supervisedState(superviseDir: string): string | undefined {
  try {
    return readFileSync(`${superviseDir}/stat`, 'utf8').split(/[\s,]/)[0];
  } catch {
    return undefined;
  }
}

/**
 * Wall time of one run of a command, in ms, from a monotonic clock around a synchronous spawn (the
 * harness does nothing else meanwhile). Throws when it does not exit with `expectedStatus`.
 */
export function timeCommand(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; expectedStatus?: number } = {}): number {
  const t0 = performance.now();
  const result = spawnSync(file, args, { stdio: 'ignore', env: options.env ?? process.env });
  const elapsed = performance.now() - t0;
  const expected = options.expectedStatus ?? 0;
  if (result.error) throw result.error;
  if (result.status !== expected) throw new Error(`bench: ${file} ${args.join(' ')} exited ${result.status ?? result.signal}, expected ${expected}`);
  return elapsed;
}

/** stdout of a command run once (to check its output before timing it). */
export function outputOf(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(file, args, { encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// A process started under `unshare --pid --fork --mount --kill-child`: its output kept, its end
// awaited, its first process (the namespace's PID 1) found, commands run inside it with nsenter, and
// killed at cleanup if it is still running. Test harnesses that boot an init build on it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { Cleanup } from './cleanup.js';
import { childPids } from './procfs.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

export interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class UnsharedProcess {
  /** stdout and stderr of unshare, merged in arrival order. */
  output = '';
  readonly ended: Promise<Ending>;
  endedWith: Ending | undefined;
  private readonly child: ChildProcess;

  /** `unshareFlags` come before the command (e.g. --mount-proc); `--kill-child` ends the tree with the test. */
  constructor(cleanup: Cleanup, unshareFlags: string[], argv: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn('unshare', ['--pid', '--fork', '--mount', '--kill-child', ...unshareFlags, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.ended = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.endedWith = { code, signal };
        resolve(this.endedWith);
      });
    });
    cleanup.add(async () => {
      if (this.endedWith) return;
      this.child.kill('SIGKILL');
      await this.ended;
    });
  }

  /** Host pid of the namespace's PID 1 (unshare's only child). */
  initPid(): Promise<number> {
    return waitFor(() => childPids(this.child.pid!)[0], 'the namespace to start');
  }

  /** Runs argv inside the namespace (its PIDs and mounts) with env; resolves with stdout. */
  async exec(argv: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
    const pid = await this.initPid();
    const { stdout } = await run('nsenter', ['-t', String(pid), '-p', '-m', '--', ...argv], {
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 60_000,
      encoding: 'utf8',
    });
    return stdout;
  }

  /**
   * Runs argv inside the namespace as `exec` does, for a command that sets off the init's ending
   * (`runit-init 0`, `kill -TERM 1`): the init's TERM, then KILL, to every process may reach the
   * command before it has exited (nsenter then dies of the same signal), and that counts as done.
   */
  async execUntilShutdown(argv: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<void> {
    try {
      await this.exec(argv, options);
    } catch (error) {
      const signal = (error as { signal?: string }).signal;
      if (signal !== 'SIGTERM' && signal !== 'SIGKILL') throw error;
    }
  }
}

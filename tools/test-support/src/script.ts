// Runs a golden check script (runit's check/dist style): its combined output, its process group
// ended at clean-up.
import { spawn } from 'node:child_process';
import type { Cleanup } from './cleanup.js';

/**
 * `sh script` with exactly `env`, in a process group of its own; resolves with its output. stdout
 * and stderr are one pipe (the script runs with 2>&1), so lines keep the order they were written in:
 * with two pipes, a usage line on stderr and the `echo $?` after it on stdout could arrive in either
 * order on a loaded machine.
 */
export function runScript(cleanup: Cleanup, script: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn('sh', ['-c', 'exec sh "$1" 2>&1', 'sh', script], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  cleanup.killLater(child.pid!, true);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(output)));
}

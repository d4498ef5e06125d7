// Runs a golden check script (runit's check/dist style): its combined output, its process group
// ended at clean-up.
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Runs one of runit's check scripts the way its check-local does: the commands under test first on
 * PATH (a temp bin dir of symlinks name -> target, then `path`), and `ctmp` a path not made yet.
 */
export function runCheckScript(cleanup: Cleanup, script: string, links: Record<string, string>, path: string): Promise<string> {
  const dir = cleanup.tempDir('golden-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(bin, name));
  return runScript(cleanup, script, { PATH: `${bin}:${path}`, ctmp: join(dir, 'check-tmp') });
}

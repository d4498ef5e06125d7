// Runs a golden check script (runit's check/dist style): its combined output, its process group
// ended at clean-up.
import { spawn } from 'node:child_process';
import type { Cleanup } from './cleanup.js';

/** `sh script` with exactly `env`, in a process group of its own; resolves with stdout+stderr. */
export function runScript(cleanup: Cleanup, script: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn('sh', [script], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  cleanup.killLater(child.pid!, true);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(output)));
}

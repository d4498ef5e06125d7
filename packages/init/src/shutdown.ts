// After stage 3: KILL to every process, then the reboot/power-off/halt request from a helper process.
// A helper, as runit forks one: when power-off or halt returns, the kernel ends the caller, and
// PID 1 ending is a kernel panic. When the helper cannot be started, or ends without having done its
// job (any exit but 0), PID 1 does it itself.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reaper, spawn, type EnvEntry } from '@runit-ts/native';
import { regetStderr, say } from './console.js';
import { haltSystem } from './halt.js';
import { runitMessages } from './messages.js';
import type { RunitPaths } from './paths.js';

/** The helper's bundle, built beside runit's own (dist/runit-halt.cjs). */
export function haltHelperPath(): string {
  return fileURLToPath(new URL('./runit-halt.cjs', import.meta.url));
}

/** Starts the helper; resolves true when it has done its job (exit 0: the kernel refused every request). */
function runHaltHelper(node: string, env: EnvEntry[]): Promise<boolean> {
  const script = haltHelperPath();
  if (!existsSync(script)) return Promise.resolve(false);
  try {
    const pid = spawn({ file: node, argv: [node, ...process.execArgv, script], env, nodeVariables: 'set-aside' });
    return new Promise((resolve) => reaper.watch(pid, (exit) => resolve(exit.code === 0)));
  } catch {
    return Promise.resolve(false);
  }
}

/** Ends the system as runit does; resolves only if the kernel refused (PID 1 then stays, reaping). */
export async function shutdown(paths: RunitPaths, env: EnvEntry[], node: string): Promise<void> {
  regetStderr();
  say(runitMessages.killingAll);
  try {
    process.kill(-1, 'SIGKILL');
  } catch {
    // nothing else runs
  }
  if (!(await runHaltHelper(node, env))) await haltSystem(paths);
}

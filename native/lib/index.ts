// @runit-ts/native: typed wrappers over the addon. Everything else in runit-ts is TypeScript.
export { spawn, envArray, givenBackEnv, withNodeVariables, SAVED_PREFIX, type NodeVariables, type SpawnOptions } from './spawn.js';
export { invokedAs, invokedPath, ARGV0_VARIABLE } from './invoked-as.js';
export { Reaper, reaper, type ExitHandler } from './reaper.js';
export { decodeWaitStatus, exitedWith, type ExitStatus } from './exit-status.js';
export { errnoError } from './errno-error.js';
export * from './fd.js';
export * from './lock.js';
export * from './process.js';

import { binding } from './load.js';
import { decodeWaitStatus, type ExitStatus } from './exit-status.js';

/** waitpid(pid): blocks this thread unless nohang; null when nohang and pid still runs. */
export function waitPid(pid: number, nohang = false): ExitStatus | null {
  const status = binding.waitPid(pid, nohang);
  return status === -1 ? null : decodeWaitStatus(pid, status);
}

// @runit-ts/native: typed wrappers over the addon. Everything else in runit-ts is TypeScript.
export {
  spawn,
  envArray,
  envEntryBytes,
  envEntryName,
  givenBackEnv,
  isForkFailure,
  withNodeVariables,
  SAVED_PREFIX,
  type Bytes,
  type EnvEntry,
  type NodeVariables,
  type SpawnOptions,
  type SpawnError,
  type SpawnStep,
  type SpawnUser,
} from './spawn.js';
export { bytesOfText, forKernel, textOfBytes } from './raw-text.js';
export { invokedAs, invokedPath, ARGV0_VARIABLE } from './invoked-as.js';
export { reaper, type ExitHandler, type ExitInspector } from './reaper.js';
export { receiveFds, sendFds, socketPair, type ReceivedMessage } from './fd-passing.js';
export { fdHolderProgram } from './helper-programs.js';
export { withFsCredentials, type FsCredentials } from './credentials.js';
export { decodeWaitStatus, exitedWith, type ExitStatus } from './exit-status.js';
export * from './fd.js';
export * from './lock.js';
export * from './process.js';
export * from './socket.js';
export * from './pidfd.js';

import { binding } from './load.js';

/** Whether this process has any child left, running or exited but not yet reaped (reaps nothing). */
export const hasChildren = (): boolean => binding.hasChildren();

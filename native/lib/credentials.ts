// Doing file-system work with another user's rights, in this process (see src/fscred.cc).
import { binding } from './load.js';

export interface FsCredentials {
  uid: number;
  gid: number;
  /** Supplementary groups. */
  groups: number[];
  /** The umask that files created meanwhile get. */
  umask: number;
}

/**
 * Runs `work`, which must be synchronous, with the file-system rights of `credentials`: every open,
 * rename, unlink and stat it makes is checked by the kernel as for that user's own process, and files
 * it creates belong to that user. Only this thread's ids change (setfsuid, setfsgid, its groups), so
 * Node's own threads keep theirs; the umask is the process's, so nothing else may create files
 * meanwhile. Needs CAP_SETUID and CAP_SETGID (root); throws EPERM without them.
 */
export function withFsCredentials<T>(credentials: FsCredentials, work: () => T): T {
  const { uid, gid, groups, umask } = credentials;
  return binding.withFsCredentials(uid, gid, groups, umask, work);
}

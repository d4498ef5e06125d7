// The checks runit makes on its control files: stat() (following links) for the owner-execute bit or
// for mere existence.
import { statSync } from 'node:fs';

/** True when path exists (any type) and has the owner-execute bit, as runit tests stopit/reboot/ctrlaltdel. */
export function isOwnerExecutable(path: string): boolean {
  try {
    return (statSync(path).mode & 0o100) !== 0;
  } catch {
    return false;
  }
}

/** True when stat(path) succeeds, whatever the type or mode (runit's test for /etc/runit/nosync). */
export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

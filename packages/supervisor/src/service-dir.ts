// A held handle on the service directory: every path the supervisor uses is resolved through it, so
// a renamed service dir keeps working as runsv's cwd does (runsvdir keys services by inode).
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { O_PATH, forKernel } from '@runit-ts/native';

let procFds: boolean | undefined;
const haveProcFds = (): boolean => (procFds ??= existsSync('/proc/self/fd'));

export class ServiceDir {
  private constructor(
    /** An O_PATH fd on the directory, or -1 when /proc is not there to resolve through it. */
    readonly fd: number,
    /** The prefix every relative name is joined to: /proc/self/fd/N, or the absolute path. */
    readonly base: string,
  ) {}

  /** Opens dir as runsv's chdir(dir) would; throws the fs error (ENOENT, ENOTDIR, EACCES…). */
  static open(dir: string): ServiceDir {
    // O_PATH: a handle for path resolution only, like a cwd
    const fd = openSync(forKernel(dir), O_PATH | constants.O_DIRECTORY);
    if (haveProcFds()) return new ServiceDir(fd, `/proc/self/fd/${fd}`);
    closeSync(fd);
    return new ServiceDir(-1, resolve(dir));
  }

  /**
   * The path of `relative` inside the service dir. Plain concatenation, never path.join: `..` in a
   * symlink target must be resolved by the kernel from the directory itself, not lexically.
   */
  at(relative: string): string {
    return relative.startsWith('/') ? relative : `${this.base}/${relative}`;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
  }
}

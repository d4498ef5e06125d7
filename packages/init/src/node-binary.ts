// The node binary to exec or spawn. Node takes process.execPath from /proc/self/exe; before /proc is
// mounted (PID 1 at boot) it only has argv[0], "node" when its launcher found node as a bare name, and
// execve does not search PATH: so search it here, as execvp would.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** Where to look when there is no PATH (the kernel starts init without one). */
export const DEFAULT_SEARCH_PATH = '/usr/local/bin:/usr/bin:/bin';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** An absolute path for the running node; `execPath` itself when it cannot be found. */
export function nodeBinary(execPath: string = process.execPath, searchPath: string | undefined = process.env.PATH): string {
  if (isAbsolute(execPath)) return execPath;
  if (execPath.includes('/')) return resolve(execPath);
  for (const dir of (searchPath || DEFAULT_SEARCH_PATH).split(':')) {
    const candidate = join(dir === '' ? '.' : dir, execPath);
    if (isExecutableFile(candidate)) return resolve(candidate);
  }
  return execPath;
}

// Where a service name leads, found the way runit's sv finds it with chdir(), but without ever
// leaving our own working directory (so there is nothing to return to).
import { accessSync, constants, statSync } from 'node:fs';
import { forKernel } from '@runit-ts/native';

export type Located = { ok: true; dir: string } | { ok: false; code: string };

/** For the command itself: bare names (no leading `/` or `.`, no trailing `/`) live under SVDIR. */
export function locateForCommand(name: string, svdir: string): Located {
  const bare = name !== '' && name[0] !== '/' && name[0] !== '.' && !name.endsWith('/');
  return enter(bare ? underSvdir(name, svdir) : name);
}

/** While waiting runit only tests the first character, so `foo/` is looked up under SVDIR then. */
export function locateWhileWaiting(name: string, svdir: string): Located {
  const bare = name[0] !== '/' && name[0] !== '.';
  return enter(bare ? underSvdir(name, svdir) : name);
}

/** chdir(svdir) then chdir(name) walk the same path as one lookup of `svdir/name`; "" fails alone. */
function underSvdir(name: string, svdir: string): string {
  return svdir === '' ? '' : `${svdir}/${name}`;
}

/** What chdir(path) would answer: ENOENT for "", ENOTDIR for a non-directory, EACCES without search. */
export function enter(path: string): Located {
  if (path === '') return { ok: false, code: 'ENOENT' };
  try {
    if (!statSync(forKernel(path)).isDirectory()) return { ok: false, code: 'ENOTDIR' };
    accessSync(forKernel(path), constants.X_OK);
    return { ok: true, dir: path };
  } catch (error) {
    return { ok: false, code: errorCode(error) };
  }
}

export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'EUNKNOWN';
}

// The programs built with the addon, found beside the addon that was loaded (build/Release in a
// checkout or after a compile at install, prebuilds/<platform>-<arch> in the package's tarball).
import { join } from 'node:path';
import { addonDir } from './load.js';

/** runit-ts-fdholder: holds copies of log pipes for runsvdir (see holder/fdholder.c). */
export const fdHolderProgram = (): string => join(addonDir, 'runit-ts-fdholder');

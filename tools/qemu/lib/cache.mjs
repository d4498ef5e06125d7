// Where the qemu tools keep what they download and build between runs (never in git).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $RUNIT_TS_QEMU_CACHE, else $XDG_CACHE_HOME/runit-ts/qemu, else ~/.cache/runit-ts/qemu (as setup.sh). */
export function qemuCacheDir() {
  if (process.env.RUNIT_TS_QEMU_CACHE) return process.env.RUNIT_TS_QEMU_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'runit-ts', 'qemu');
}

// Where the real runit and daemontools binaries are: RUNIT_REF_DIR, set by tools/reference/fetch.sh.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Debian installs runit-init in lib/runit (the init system's alternatives link /sbin/init to it).
const LOCATIONS = ['usr/bin', 'usr/sbin', 'sbin', 'bin', 'lib/runit'];

/** The reference folder; throws (never skips) when it is not there. */
export function referenceDir(): string {
  const dir = process.env.RUNIT_REF_DIR;
  if (!dir) {
    throw new Error(
      'RUNIT_REF_DIR is not set: interop tests need the reference runit and daemontools binaries.\n' +
        'Run the tests through `npm test` (it fetches them), or: export RUNIT_REF_DIR="$(bash tools/reference/fetch.sh)"',
    );
  }
  return dir;
}

/** Absolute path of a reference binary such as 'sv', 'runsv', 'svstat', 'runit'. */
export function referenceBinary(name: string): string {
  const dir = referenceDir();
  for (const location of LOCATIONS) {
    const path = join(dir, location, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`reference binary ${name} not found under ${dir}`);
}

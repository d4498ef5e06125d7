// Where the commands under test are: ours (the built launcher) and the reference runit/daemontools,
// put first on PATH under their own names so that messages show argv[0] as runit's checks expect.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceBinary, type Cleanup } from '@runit-ts/test-support';

/** Our runsv: the committed launcher, which loads dist/runsv.cjs (build first). */
export const OUR_RUNSV = fileURLToPath(new URL('../bin/runsv', import.meta.url));

/** A temp dir of symlinks name → target, removed at clean-up. */
export function binDir(cleanup: Cleanup, links: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'runit-ts-bin-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(dir, name));
  return dir;
}

export const oursOnPath = (cleanup: Cleanup): string => binDir(cleanup, { runsv: OUR_RUNSV });
export const realOnPath = (cleanup: Cleanup): string => binDir(cleanup, { runsv: referenceBinary('runsv') });

// Paths of the commands under test: this package's bundles, and the reference runit's binaries.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = (name: string): string => fileURLToPath(new URL(`../../dist/${name}.cjs`, import.meta.url));

/** A built command of this package (run `nx run @runit-ts/dir-scanner:build` first). */
export function ourCommand(name: 'runsvdir' | 'runsvchdir'): string {
  const path = dist(name);
  if (!existsSync(path)) throw new Error(`${path} is missing: build @runit-ts/dir-scanner first`);
  return path;
}

export const withRunsvdirLink = fileURLToPath(new URL('./with-runsvdir-link.sh', import.meta.url));

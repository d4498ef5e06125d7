// A copy of one of our commands that any user can run: for tests that run it as nobody, even from a
// clone inside a directory only root may enter (/root). The copy is laid out as an installation is:
// <tmp>/<package>/{bin,dist} beside <tmp>/node_modules/@runit-ts/native, which the bundle resolves.
import { chmodSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Copies `packages/<pkg>/bin/<command>` and its bundle, with the native package (its addon and
 * package.json), into a world-readable temp dir; returns the copied launcher.
 */
export function commandForAnyone(cleanup: Cleanup, pkg: string, command: string): string {
  const root = cleanup.tempDir(`for-anyone-${command}-`);
  chmodSync(root, 0o755);
  const from = join(repo, 'packages', pkg);
  const bundle = join(from, 'dist', `${command}.cjs`);
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build @runit-ts/${pkg} first`);
  mkdirSync(join(root, pkg, 'dist'), { recursive: true });
  cpSync(join(from, 'bin', command), join(root, pkg, 'bin', command));
  cpSync(bundle, join(root, pkg, 'dist', `${command}.cjs`));
  const native = join(root, 'node_modules', '@runit-ts', 'native');
  mkdirSync(native, { recursive: true });
  cpSync(join(repo, 'native', 'package.json'), join(native, 'package.json'));
  for (const addon of ['prebuilds', 'build/Release']) {
    if (existsSync(join(repo, 'native', addon))) cpSync(join(repo, 'native', addon), join(native, addon), { recursive: true });
  }
  for (const dir of [join(root, pkg), join(root, pkg, 'bin'), join(root, pkg, 'dist'), join(root, 'node_modules'), join(root, 'node_modules', '@runit-ts')]) {
    chmodSync(dir, 0o755);
  }
  return join(root, pkg, 'bin', command);
}

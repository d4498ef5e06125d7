// The tarballs users get: every package packed with `npm pack`, as a publish would pack it, and a
// copy of @runit-ts/native's tarball without its prebuilt addon (for the build at install).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** The published packages: the workspaces users install, and the umbrella `runit-ts`. */
export const WORKSPACE_PACKAGES = ['native', 'protocol', 'supervisor', 'dir-scanner', 'sv', 'logger', 'init', 'chpst'];

function npmPack(cwd: string, args: string[], destination: string): string {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  const [result] = JSON.parse(out) as Array<{ filename: string }>;
  return join(destination, result!.filename);
}

/** Fails, naming the fix, when the umbrella's bin and man entries no longer match the packages. */
export function checkUmbrella(): void {
  try {
    execFileSync(process.execPath, [join(REPO, 'tools/scripts/umbrella.mjs'), '--check'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(String((error as { stderr?: Buffer }).stderr ?? error));
  }
}

/** Packs every package into `dir`; returns the tarballs' paths. */
export function packAll(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  checkUmbrella();
  const tarballs = WORKSPACE_PACKAGES.map((name) => npmPack(REPO, ['-w', `@runit-ts/${name}`], dir));
  tarballs.push(npmPack(join(REPO, 'packages/runit-ts'), [], dir));
  return tarballs;
}

/** @runit-ts/native's tarball as npm pack makes it from the same files less prebuilds/. */
export function packNativeWithoutPrebuilt(nativeTarball: string, dir: string): string {
  const unpacked = join(dir, 'native-unpacked');
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['-xzf', nativeTarball, '-C', unpacked]);
  const packageDir = join(unpacked, 'package');
  rmSync(join(packageDir, 'prebuilds'), { recursive: true });
  if (readdirSync(packageDir).includes('build')) throw new Error('the native tarball holds a build/ directory');
  const out = join(dir, 'without-prebuilt');
  mkdirSync(out, { recursive: true });
  // --ignore-scripts: the package's install script is for installing, not for packing.
  return npmPack(packageDir, ['--ignore-scripts'], out);
}

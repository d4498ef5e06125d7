// Our commands in the guest, laid out as an npm install lays them out: each package's committed
// launchers and its bundles (with the addon beside them, where load.ts looks first) under
// /usr/lib/runit-ts/<package>/, and a link per command where Debian's runit puts it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const GUEST_LIB = '/usr/lib/runit-ts';
const ADDON = 'runit_native.node';

// Debian's places for runit's commands; any other command goes to /usr/bin.
const COMMAND_DIRS = {
  runit: '/sbin',
  'runit-init': '/sbin',
  runsvchdir: '/usr/sbin',
  utmpset: '/usr/sbin',
};

/** Every command a package of the repo ships: its launcher, the bundle it loads, its guest path. */
export function listCommands(repo) {
  const commands = [];
  const packagesDir = join(repo, 'packages');
  for (const pkg of readdirSync(packagesDir).sort()) {
    const binDir = join(packagesDir, pkg, 'bin');
    if (!existsSync(binDir)) continue;
    for (const launcher of readdirSync(binDir).filter((f) => f.endsWith('.cjs')).sort()) {
      const name = basename(launcher, '.cjs');
      const source = readFileSync(join(binDir, launcher), 'utf8');
      const bundle = /require\('\.\.\/dist\/([^']+\.cjs)'\)/.exec(source)?.[1];
      if (bundle === undefined) throw new Error(`qemu: ${pkg}/bin/${launcher} does not require a ../dist/*.cjs bundle`);
      commands.push({ name, pkg, launcher, bundle, guestPath: `${COMMAND_DIRS[name] ?? '/usr/bin'}/${name}` });
    }
  }
  return commands;
}

/** Adds the commands to `tree`; throws, naming the build command, when a bundle was not built. */
export function addCommands(tree, repo, commands) {
  const missing = [];
  for (const command of commands) {
    const pkgDir = join(repo, 'packages', command.pkg);
    const bundle = join(pkgDir, 'dist', command.bundle);
    if (!existsSync(bundle)) {
      missing.push(bundle);
      continue;
    }
    const guestPkg = `${GUEST_LIB}/${command.pkg}`;
    tree.file(`${guestPkg}/bin/${command.launcher}`, readFileSync(join(pkgDir, 'bin', command.launcher)), 0o755);
    tree.file(`${guestPkg}/dist/${command.bundle}`, readFileSync(bundle));
    const addon = join(pkgDir, 'dist', ADDON);
    if (existsSync(addon) && !tree.has(`${guestPkg}/dist/${ADDON}`)) {
      tree.file(`${guestPkg}/dist/${ADDON}`, readFileSync(addon), 0o755);
    }
    tree.symlink(command.guestPath, `${guestPkg}/bin/${command.launcher}`);
  }
  if (missing.length > 0) {
    throw new Error(
      `qemu: bundles missing (build first: npx nx run-many -t build --outputStyle=static):\n  ${missing.join('\n  ')}`,
    );
  }
}

/** The addon copies the bundles use: host path and guest path, one per package that has one. */
export function addonCopies(repo, commands) {
  const pkgs = [...new Set(commands.map((c) => c.pkg))];
  return pkgs
    .map((pkg) => ({ host: join(repo, 'packages', pkg, 'dist', ADDON), guest: `${GUEST_LIB}/${pkg}/dist/${ADDON}` }))
    .filter((copy) => existsSync(copy.host));
}

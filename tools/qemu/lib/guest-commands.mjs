// Our commands in the guest, laid out as an npm install lays them out: each package's committed
// launchers and its bundles (with the addon beside them, where load.ts looks first) under
// /usr/lib/runit-ts/<package>/, and a link per command where Debian's runit puts it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    for (const launcher of readdirSync(binDir).sort()) {
      const name = launcher;
      const source = readFileSync(join(binDir, launcher), 'utf8');
      // tools/scripts/launchers.mjs writes each launcher with its bundle's name on a line of its own
      const bundle = /^bundle=([^\s/]+\.cjs)$/m.exec(source)?.[1];
      if (bundle === undefined) throw new Error(`qemu: ${pkg}/bin/${launcher} names no bundle=*.cjs (not a launcher)`);
      commands.push({ name, pkg, launcher, bundle, guestPath: `${COMMAND_DIRS[name] ?? '/usr/bin'}/${name}` });
    }
  }
  return commands;
}

/**
 * Adds the commands to `tree`, with every bundle of their packages (a command may run a helper
 * bundle beside its own, e.g. init's runit-halt.cjs); throws, naming the build command, when a
 * launcher's bundle was not built.
 */
export function addCommands(tree, repo, commands) {
  const missing = commands
    .map((command) => join(repo, 'packages', command.pkg, 'dist', command.bundle))
    .filter((bundle) => !existsSync(bundle));
  if (missing.length > 0) {
    throw new Error(
      `qemu: bundles missing (build first: npx nx run-many -t build --outputStyle=static):\n  ${missing.join('\n  ')}`,
    );
  }
  for (const pkg of new Set(commands.map((command) => command.pkg))) {
    const distDir = join(repo, 'packages', pkg, 'dist');
    for (const file of readdirSync(distDir).filter((f) => f.endsWith('.cjs') || f === ADDON)) {
      tree.file(`${GUEST_LIB}/${pkg}/dist/${file}`, readFileSync(join(distDir, file)), file === ADDON ? 0o755 : 0o644);
    }
  }
  for (const command of commands) {
    const launcher = `${GUEST_LIB}/${command.pkg}/bin/${command.launcher}`;
    tree.file(launcher, readFileSync(join(repo, 'packages', command.pkg, 'bin', command.launcher)), 0o755);
    tree.symlink(command.guestPath, launcher);
  }
}

/** The addon copies the bundles use: host path and guest path, one per package that has one. */
export function addonCopies(repo, commands) {
  const pkgs = [...new Set(commands.map((c) => c.pkg))];
  return pkgs
    .map((pkg) => ({ host: join(repo, 'packages', pkg, 'dist', ADDON), guest: `${GUEST_LIB}/${pkg}/dist/${ADDON}` }))
    .filter((copy) => existsSync(copy.host));
}

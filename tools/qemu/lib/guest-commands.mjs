// Our commands in the guest, laid out as an npm install lays them out: each package's committed
// launchers, bundles and package.json under /usr/lib/runit-ts/node_modules/@runit-ts/<package>/,
// @runit-ts/native beside them with its one addon (the bundles load it through that package), and a
// link per command where Debian's runit puts it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const GUEST_LIB = '/usr/lib/runit-ts';
const GUEST_PACKAGES = `${GUEST_LIB}/node_modules/@runit-ts`;
const FD_HOLDER = 'runit-ts-fdholder';

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
    const packageDir = join(repo, 'packages', pkg);
    tree.file(`${GUEST_PACKAGES}/${pkg}/package.json`, readFileSync(join(packageDir, 'package.json')), 0o644);
    for (const file of readdirSync(join(packageDir, 'dist')).filter((f) => f.endsWith('.cjs'))) {
      tree.file(`${GUEST_PACKAGES}/${pkg}/dist/${file}`, readFileSync(join(packageDir, 'dist', file)), 0o644);
    }
  }
  const addon = nativeAddon(repo);
  tree.file(`${GUEST_PACKAGES}/native/package.json`, readFileSync(join(repo, 'native', 'package.json')), 0o644);
  tree.file(`${GUEST_PACKAGES}/native/${addon.relative}`, readFileSync(addon.host), 0o755);
  // the program runsvdir starts beside the addon (native/holder/fdholder.c)
  tree.file(`${GUEST_PACKAGES}/native/${dirname(addon.relative)}/${FD_HOLDER}`, readFileSync(addon.holder), 0o755);
  for (const command of commands) {
    const launcher = `${GUEST_PACKAGES}/${command.pkg}/bin/${command.launcher}`;
    tree.file(launcher, readFileSync(join(repo, 'packages', command.pkg, 'bin', command.launcher)), 0o755);
    tree.symlink(command.guestPath, launcher);
  }
}

/**
 * The addon the checkout's @runit-ts/native loads (node-gyp-build's pick: the build or the prebuilt
 * one), as a host path and as a path inside the package, and the fd-holder program beside it.
 */
export function nativeAddon(repo) {
  const nativeDir = join(repo, 'native');
  let host;
  try {
    host = createRequire(join(nativeDir, 'package.json'))('node-gyp-build').path(nativeDir);
  } catch (error) {
    throw new Error(`qemu: no native addon in ${nativeDir} (build first: npx nx run @runit-ts/native:build): ${error.message}`);
  }
  const holder = join(dirname(host), FD_HOLDER);
  if (!existsSync(holder)) throw new Error(`qemu: no ${holder} beside the addon (build first: npx nx run @runit-ts/native:build)`);
  return { host, holder, relative: host.slice(nativeDir.length + 1) };
}

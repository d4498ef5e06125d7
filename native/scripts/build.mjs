// Builds the addon, offline whenever the running Node has its headers in its own prefix (Debian's
// nodejs and Node's release tarballs both do: <prefix>/include/node), and is npm's install script.
//   node scripts/build.mjs            in a checkout: builds when a source is newer than the addon; on
//                                     linux-x64 with glibc through prebuildify, into prebuilds/ (what
//                                     the package's tarball ships), elsewhere with node-gyp
//   node scripts/build.mjs --install  at install: keeps an addon that loads (the prebuilt one), else
//                                     compiles one with node-gyp; says what to install when it cannot
//   --force                           builds even when up to date
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

const TOOLS_HINT =
  'Compiling it needs a C++ compiler, make and python3 (Debian, Ubuntu: apt-get install g++ make python3;\n' +
  'Alpine: apk add g++ make python3); install them, then install again.';

/** The platforms a prebuilt addon ships for (prebuilds/<platform>-<arch>, tagged with the libc). */
const shipsPrebuilt = () =>
  process.platform === 'linux' && process.arch === 'x64' && !existsSync('/etc/alpine-release');

const gypEnvironment = () => {
  // process.execPath is <prefix>/bin/node; node-gyp finds the headers under <prefix>/include/node.
  const prefix = dirname(dirname(process.execPath));
  const hasHeaders = existsSync(join(prefix, 'include', 'node', 'node_api.h'));
  return hasHeaders ? { ...process.env, npm_config_nodedir: prefix } : process.env;
};

function run(file, argv) {
  const result = spawnSync(file, argv, { cwd: root, stdio: 'inherit', env: gypEnvironment() });
  if (result.error) return `${file}: ${result.error.message}`;
  if (result.status !== 0) return `exit ${result.status ?? result.signal}`;
  return undefined;
}

function nodeGyp() {
  return run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--jobs=2']);
}

function prebuildify() {
  const bin = join(dirname(require.resolve('prebuildify/package.json')), 'bin.js');
  // --napi: one binary for every Node with Node-API 8; the target only names the headers to use.
  return run(process.execPath, [bin, '--napi', '--strip', '--tag-libc', `--target=node@${process.versions.node}`]);
}

/** The fd-holder program, built beside the addon: the place it is looked for is the addon's dir. */
const HOLDER = 'runit-ts-fdholder';

/**
 * prebuildify moves only the addon into prebuilds/: the program goes beside it, so that the package's
 * tarball ships both.
 */
function copyHolderBesideAddon() {
  const built = join(root, 'build', 'Release', HOLDER);
  const addon = builtAddon();
  if (addon === undefined || !existsSync(built)) return `${HOLDER} was not built`;
  copyFileSync(built, join(dirname(addon), HOLDER));
  return undefined;
}

/** Where the checkout's build puts the addon (prebuildify moves node-gyp's output into prebuilds/). */
function builtAddon() {
  if (!shipsPrebuilt()) return join(root, 'build', 'Release', 'runit_native.node');
  const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.glibc.node')) : undefined;
  return file === undefined ? undefined : join(dir, file);
}

function upToDate() {
  const output = builtAddon();
  if (output === undefined || !existsSync(output)) return false;
  const holder = join(dirname(output), HOLDER);
  if (!existsSync(holder)) return false;
  const built = Math.min(statSync(output).mtimeMs, statSync(holder).mtimeMs);
  const sources = [join(root, 'binding.gyp'), ...['src', 'holder'].flatMap((dir) => readdirSync(join(root, dir)).map((f) => join(root, dir, f)))];
  return sources.every((file) => statSync(file).mtimeMs <= built);
}

/** Why the addon node-gyp-build picks cannot be loaded, or undefined when it loads. */
function loadProblem() {
  try {
    require(require('node-gyp-build').path(root));
    return undefined;
  } catch (error) {
    return error.message.split('\n')[0];
  }
}

function isCheckout() {
  try {
    require.resolve('prebuildify/package.json');
    return existsSync(join(root, 'lib', 'index.ts'));
  } catch {
    return false;
  }
}

function buildInCheckout() {
  if (upToDate() && !args.includes('--force')) return;
  const failure = shipsPrebuilt() ? (prebuildify() ?? copyHolderBesideAddon()) : nodeGyp();
  if (failure !== undefined) {
    console.error(`@runit-ts/native: building the addon failed (${failure}).\n${TOOLS_HINT}`);
    process.exit(1);
  }
}

function install() {
  if (loadProblem() === undefined) return;
  if (isCheckout()) return buildInCheckout();
  const failure = nodeGyp();
  const problem = failure ?? loadProblem();
  if (problem !== undefined) {
    console.error(
      `@runit-ts/native: no prebuilt addon for ${process.platform}-${process.arch} and compiling one failed (${problem}).\n${TOOLS_HINT}`,
    );
    process.exit(1);
  }
}

if (args.includes('--install')) install();
else buildInCheckout();

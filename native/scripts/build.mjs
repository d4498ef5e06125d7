// Builds the addon with node-gyp, offline: headers come from the running Node's own prefix.
// Skips the build when the .node file is newer than every source.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'build', 'Release', 'runit_native.node');
const sources = [join(root, 'binding.gyp'), ...readdirSync(join(root, 'src')).map((f) => join(root, 'src', f))];

function upToDate() {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return sources.every((file) => statSync(file).mtimeMs <= built);
}

if (!upToDate() || process.argv.includes('--force')) {
  const require = createRequire(import.meta.url);
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  // process.execPath is <prefix>/bin/node; the headers node-gyp needs are under <prefix>/include/node.
  const nodedir = dirname(dirname(process.execPath));
  const result = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=2'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`native: node-gyp failed (exit ${result.status ?? result.signal}); nodedir was ${nodedir}`);
    process.exit(1);
  }
}

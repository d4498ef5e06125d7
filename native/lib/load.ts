// Finds and loads runit_native.node: beside a bundle first, then this package's build dirs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NativeBinding } from './binding.js';
import { errnoError } from './errno-error.js';

const FILE = 'runit_native.node';

function candidates(): string[] {
  const here = import.meta.url;
  const list: string[] = [];
  // No variable names another file: whoever sets the environment of a root daemon must not get to
  // choose the code it loads (docs/security.md).
  list.push(fileURLToPath(new URL(`./${FILE}`, here)));
  list.push(fileURLToPath(new URL(`../build/Release/${FILE}`, here)));
  list.push(fileURLToPath(new URL(`../build/Debug/${FILE}`, here)));
  try {
    const pkg = createRequire(here).resolve('@runit-ts/native/package.json');
    list.push(pkg.replace(/package\.json$/, `build/Release/${FILE}`));
  } catch {
    // not reachable as a package from here (e.g. inside a standalone bundle)
  }
  return list;
}

function load(): NativeBinding {
  const tried = candidates();
  const found = tried.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      `runit-ts: native addon not found; looked in:\n  ${tried.join('\n  ')}\n` +
        'build it with: npm run build (or: node native/scripts/build.mjs)',
    );
  }
  const binding = createRequire(import.meta.url)(found) as NativeBinding;
  binding.setErrnoFactory(errnoError);
  return binding;
}

export const binding: NativeBinding = load();

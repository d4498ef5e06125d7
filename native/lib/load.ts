// Loads runit_native.node from the @runit-ts/native package that the importing code resolves to (one
// addon per installation): node-gyp-build picks the addon built at install or the prebuilt one.
/// <reference path="./node-gyp-build.d.ts" />
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeGypBuild from 'node-gyp-build';
import type { NativeBinding } from './binding.js';
import { type AddonProblem, EXIT_NO_ADDON, addonProblemText } from './addon-problem.js';
import { errnoError } from './errno-error.js';

// Defined (true) by tools/scripts/bundle.mjs in the commands' bundles: a command prints the problem
// and exits, where a library throws it to its caller.
declare const RUNIT_TS_COMMAND_BUNDLE: boolean | undefined;

type Loaded = { binding: NativeBinding; file: string } | { problem: AddonProblem };

// node-gyp-build loads the addon from any directory this variable names: no variable may choose the
// code a root daemon runs, so it is set aside while node-gyp-build looks (and put back after).
const PREBUILD_OVERRIDE = '@RUNIT_TS/NATIVE_PREBUILD';

function addonPath(packageDir: string): string {
  const override = process.env[PREBUILD_OVERRIDE];
  delete process.env[PREBUILD_OVERRIDE];
  try {
    return nodeGypBuild.path(packageDir);
  } finally {
    if (override !== undefined) process.env[PREBUILD_OVERRIDE] = override;
  }
}

function tryLoad(): Loaded {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('@runit-ts/native/package.json'));
  } catch {
    return { problem: { kind: 'package-not-found', from: fileURLToPath(import.meta.url) } };
  }
  let file: string;
  try {
    file = addonPath(packageDir);
  } catch {
    return { problem: { kind: 'no-addon', platform: `${process.platform}-${process.arch}`, packageDir } };
  }
  try {
    return { binding: require(file) as NativeBinding, file };
  } catch (error) {
    return { problem: { kind: 'unloadable', file, reason: (error as Error).message.split('\n')[0] ?? '' } };
  }
}

function load(): { binding: NativeBinding; file: string } {
  const loaded = tryLoad();
  if ('problem' in loaded) {
    const text = addonProblemText(loaded.problem);
    if (typeof RUNIT_TS_COMMAND_BUNDLE !== 'undefined' && RUNIT_TS_COMMAND_BUNDLE) {
      writeSync(2, text);
      process.exit(EXIT_NO_ADDON);
    }
    throw new Error(text.trimEnd());
  }
  loaded.binding.setErrnoFactory(errnoError);
  return loaded;
}

const loaded = load();

export const binding: NativeBinding = loaded.binding;

/** The directory of the addon loaded: the programs built with it (runit-ts-fdholder) are there too. */
export const addonDir: string = dirname(loaded.file);

// A command whose installation has no usable addon prints the one message of @runit-ts/native's loader
// (what to install) and exits 111, instead of a stack trace.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './helpers/commands.js';

const bundle = fileURLToPath(new URL('../dist/chpst.cjs', import.meta.url));
const nativePackageJson = fileURLToPath(new URL('../../../native/package.json', import.meta.url));
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const whatToInstall =
  '@runit-ts/native ships a prebuilt addon for linux-x64 (glibc) and compiles one at install\n' +
  'everywhere else, which needs a C++ compiler, make and python3 (Debian, Ubuntu: apt-get install\n' +
  'g++ make python3; Alpine: apk add g++ make python3). Install them, then install again:\n' +
  'npm i -g runit-ts (or, in a project: npm rebuild @runit-ts/native).\n';

/** chpst's bundle as npm lays it out in a project: node_modules/@runit-ts/chpst/dist/chpst.cjs. */
function installedBundle(project: string): string {
  const dist = join(project, 'node_modules/@runit-ts/chpst/dist');
  mkdirSync(dist, { recursive: true });
  cpSync(bundle, join(dist, 'chpst.cjs'));
  return join(dist, 'chpst.cjs');
}

describe('chpst without a usable addon', () => {
  it('installed beside a @runit-ts/native that holds no addon for here: the message, exit 111', () => {
    const project = cleanup.tempDir('chpst-no-addon-');
    const command = installedBundle(project);
    const native = join(project, 'node_modules/@runit-ts/native');
    mkdirSync(native, { recursive: true });
    cpSync(nativePackageJson, join(native, 'package.json'));
    const outcome = run(process.execPath, [command, '-v', 'true'], { cwd: project });
    expect({ code: outcome.code, stdout: outcome.stdout, stderr: outcome.stderr }).toEqual({
      code: 111,
      stdout: '',
      stderr: `runit-ts: cannot load the native addon (no addon built for ${process.platform}-${process.arch} in ${native}).\n${whatToInstall}`,
    });
  });

  it('copied where no @runit-ts/native can be found: the message, exit 111', () => {
    const dir = cleanup.tempDir('chpst-lonely-');
    const command = join(dir, 'chpst.cjs');
    cpSync(bundle, command);
    const outcome = run(process.execPath, [command, '-v', 'true'], { cwd: dir });
    expect({ code: outcome.code, stdout: outcome.stdout, stderr: outcome.stderr }).toEqual({
      code: 111,
      stdout: '',
      stderr: `runit-ts: cannot load the native addon (@runit-ts/native is not installed where ${command} can find it).\n${whatToInstall}`,
    });
  });
});

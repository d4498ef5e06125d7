// The same global install from a registry whose @runit-ts/native has no prebuilt addon, as on any
// platform but linux-x64: the package's install script compiles the addon with node-gyp against
// Node's own headers (nothing downloaded), and the commands load it. Without a working compiler the
// install fails with one message saying what to install.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, requireRoot, runCommand, textOnceCreated } from '@runit-ts/test-support';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { describeInstall, installGlobally } from './support/install.js';
import { Npm } from './support/npm.js';
import { systemPath } from './support/paths.js';

const cleanup = new Cleanup();
afterAll(() => cleanup.run());

describe('npm i -g runit-ts without a prebuilt addon', () => {
  it('compiles the addon at install, offline, and the commands use it', async () => {
    requireRoot();
    const dir = cleanup.tempDir('from-source-');
    const install = await installGlobally(dir, inject('registryWithoutPrebuilt').npmrc, ['--foreground-scripts']);
    console.log(describeInstall('npm i -g runit-ts, addon built from source', install));
    const native = join(install.prefix, 'lib/node_modules/runit-ts/node_modules/@runit-ts/native');
    expect(existsSync(join(native, 'prebuilds'))).toBe(false);
    expect(existsSync(join(native, 'build/Release/runit_native.node'))).toBe(true);
    // the program runsvdir starts beside the addon is compiled with it
    expect(runCommand(join(native, 'build/Release/runit-ts-fdholder'), [])).toEqual({ code: 100, stdout: '', stderr: 'usage: runit-ts-fdholder linger-seconds\n' });
    // node-gyp used the headers of the running Node; it fetched none.
    expect(install.result.output).toContain('gyp info ok');
    expect(install.result.output).not.toMatch(/gyp http|download/i);

    const logDir = join(dir, 'log');
    const svlogd = runCommand('sh', ['-c', `mkdir ${logDir} && echo 'built here' | svlogd ${logDir}`], {
      cwd: dir,
      env: { PATH: systemPath(install.bin) },
    });
    expect(svlogd).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(textOnceCreated(join(logDir, 'current'))).toBe('built here\n');
  });

  it('without a working compiler, fails with one message saying what to install', async () => {
    const dir = cleanup.tempDir('no-compiler-');
    const npm = new Npm(join(dir, 'npm'), inject('registryWithoutPrebuilt').npmrc);
    // A C++ compiler that cannot compile, as on a machine without one (make falls back to g++ otherwise).
    const result = await npm.run(['i', '-g', 'runit-ts'], {
      cwd: dir,
      env: { npm_config_prefix: join(dir, 'prefix'), PATH: systemPath(), CXX: 'false', CC: 'false' },
    });
    expect(result.code).not.toBe(0);
    // npm shows a failed script's output after node-gyp's log, each line prefixed with `npm error `.
    const printed = result.output.replace(/^npm error /gm, '');
    expect(printed).toContain(
      '@runit-ts/native: no prebuilt addon for linux-x64 and compiling one failed (exit 1).\n' +
        'Compiling it needs a C++ compiler, make and python3 (Debian, Ubuntu: apt-get install g++ make python3;\n' +
        'Alpine: apk add g++ make python3); install them, then install again.',
    );
  });
});

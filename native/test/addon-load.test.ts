// The addon as an installed package finds it: node-gyp-build's pick from the package's own directory,
// and one message naming what to install when there is no addon for here or dlopen refuses it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const nodeGypBuild = dirname(createRequire(import.meta.url).resolve('node-gyp-build/package.json'));
const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An installed copy of this package (package.json and dist/, no addon) and its node-gyp-build. */
function installedCopy(): string {
  const project = mkdtempSync(join(tmpdir(), 'native-install-'));
  made.push(project);
  const dir = join(project, 'node_modules/@runit-ts/native');
  mkdirSync(dir, { recursive: true });
  cpSync(join(packageRoot, 'package.json'), join(dir, 'package.json'));
  cpSync(join(packageRoot, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(nodeGypBuild, join(project, 'node_modules/node-gyp-build'));
  return dir;
}

/** Imports the copy in a fresh Node; the error message when the import fails, else 'loaded'. */
function importMessage(dir: string): string {
  const script = `import(${JSON.stringify(join(dir, 'dist/index.js'))}).then(() => process.stdout.write('loaded'), (e) => process.stdout.write(e.message));`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  expect(result.status).toBe(0);
  return result.stdout;
}

const whatToInstall =
  '@runit-ts/native ships a prebuilt addon for linux-x64 (glibc) and compiles one at install\n' +
  'everywhere else, which needs a C++ compiler, make and python3 (Debian, Ubuntu: apt-get install\n' +
  'g++ make python3; Alpine: apk add g++ make python3). Install them, then install again:\n' +
  'npm i -g runit-ts (or, in a project: npm rebuild @runit-ts/native).';

describe('loading the addon from an installed package', () => {
  it('loads the prebuilt addon the package ships', () => {
    const dir = installedCopy();
    cpSync(join(packageRoot, 'prebuilds'), join(dir, 'prebuilds'), { recursive: true });
    expect(importMessage(dir)).toBe('loaded');
  });

  it("ignores node-gyp-build's variable that would load an addon from elsewhere", () => {
    const dir = installedCopy();
    cpSync(join(packageRoot, 'prebuilds'), join(dir, 'prebuilds'), { recursive: true });
    const elsewhere = join(dir, '..', 'elsewhere');
    mkdirSync(join(elsewhere, 'build/Release'), { recursive: true });
    writeFileSync(join(elsewhere, 'build/Release/runit_native.node'), 'not an addon\n');
    const script = `process.env['@RUNIT_TS/NATIVE_PREBUILD'] = ${JSON.stringify(elsewhere)};
      import(${JSON.stringify(join(dir, 'dist/index.js'))}).then(
        (n) => process.stdout.write(typeof n.spawn + ' ' + process.env['@RUNIT_TS/NATIVE_PREBUILD']),
        (e) => process.stdout.write(e.message));`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.stdout).toBe(`function ${elsewhere}`);
  });

  it('without an addon for this platform, says what to install', () => {
    const dir = installedCopy();
    expect(importMessage(dir)).toBe(
      `runit-ts: cannot load the native addon (no addon built for ${process.platform}-${process.arch} in ${dir}).\n${whatToInstall}`,
    );
  });

  it('with an addon built for another machine, says why and what to install', () => {
    const dir = installedCopy();
    const file = join(dir, 'build/Release/runit_native.node');
    mkdirSync(dirname(file), { recursive: true });
    // Our own addon with e_machine (bytes 18-19 of the ELF header) saying aarch64 (183).
    const addon = readFileSync(join(packageRoot, 'prebuilds/linux-x64', readdirSync(join(packageRoot, 'prebuilds/linux-x64'))[0]!));
    addon.writeUInt16LE(183, 18);
    writeFileSync(file, addon);
    // glibc's dlopen reports a foreign machine as a missing file.
    expect(importMessage(dir)).toBe(
      `runit-ts: cannot load the native addon (${file}: cannot open shared object file: No such file or directory).\n${whatToInstall}`,
    );
  });
});

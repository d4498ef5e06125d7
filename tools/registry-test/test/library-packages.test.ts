// Each library package installed alone from the registry into an empty consumer project: only its
// own dependencies come with it, and its README's example type-checks with tsc (strict, module
// nodenext) and prints what the README says it prints.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup, runCommand } from '@runit-ts/test-support';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Npm } from './support/npm.js';
import { REPO } from './support/packing.js';
import { systemPath } from './support/paths.js';
import { neutralTempDirs, readmeExample } from './support/readme-example.js';

const cleanup = new Cleanup();
afterAll(() => cleanup.run());
// One npm cache for the file, as one user's: each project still starts empty.
let npm: Npm | undefined;
const sharedNpm = (): Npm => (npm ??= new Npm(cleanup.tempDir('consumer-npm-'), inject('registry').npmrc));

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const TYPES_NODE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies['@types/node'] as string;

const TSCONFIG = {
  compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], outDir: 'out' },
  include: ['example.mts'],
};

/** The @runit-ts packages `name` brings, itself included: its dependencies, transitively. */
function closure(name: string): string[] {
  const dir = name.replace('@runit-ts/', '');
  const manifest = join(REPO, dir === 'native' ? 'native' : `packages/${dir}`, 'package.json');
  const dependencies = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).dependencies ?? {});
  return [...new Set([name, ...dependencies.filter((d) => d.startsWith('@runit-ts/')).flatMap(closure)])].sort();
}

describe.each(['protocol', 'supervisor', 'logger', 'sv', 'dir-scanner', 'init', 'chpst'])('@runit-ts/%s alone', (dir) => {
  const name = `@runit-ts/${dir}`;

  it("installs with only its own dependencies; its README's example type-checks and runs as written", async () => {
    const project = cleanup.tempDir(`consumer-${dir}-`);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
    const env = { PATH: systemPath() };
    const install = await sharedNpm().ok(['i', name, `@types/node@${TYPES_NODE}`], { cwd: project, env });
    console.log(`npm i ${name}: ${install.seconds.toFixed(1)} s`);
    expect(readdirSync(join(project, 'node_modules/@runit-ts')).map((d) => `@runit-ts/${d}`).sort()).toEqual(closure(name));

    const example = readmeExample(join(REPO, 'packages', dir, 'README.md'));
    writeFileSync(join(project, 'example.mts'), example.code);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    try {
      execFileSync(process.execPath, [TSC, '-p', project], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      throw new Error(`tsc failed on the README example of ${name}:\n${(error as { stdout?: string }).stdout}`);
    }
    const outcome = runCommand(process.execPath, [join(project, 'out/example.mjs')], { cwd: project, env });
    expect({ code: outcome.code, stdout: neutralTempDirs(outcome.stdout, tmpdir()) }).toEqual({ code: 0, stdout: example.output });
    expect(outcome.stderr).toBe(dir === 'init' ? '- runit: fatal: must be run as process no 1.\n' : '');
  });
});

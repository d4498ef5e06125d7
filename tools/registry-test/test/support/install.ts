// `npm i -g runit-ts` into an empty prefix, measured: seconds, size on disk, what npm printed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Npm, type NpmResult } from './npm.js';
import { systemPath } from './paths.js';

export interface GlobalInstall {
  prefix: string;
  bin: string;
  result: NpmResult;
  megabytes: number;
}

export const diskMegabytes = (dir: string): number =>
  Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024;

export async function installGlobally(dir: string, npmrc: string, extraArgs: string[] = []): Promise<GlobalInstall> {
  const prefix = join(dir, 'prefix');
  mkdirSync(prefix, { recursive: true });
  const npm = new Npm(join(dir, 'npm'), npmrc);
  const result = await npm.ok(['i', '-g', 'runit-ts', ...extraArgs], {
    cwd: dir,
    env: { npm_config_prefix: prefix, PATH: systemPath() },
  });
  return { prefix, bin: join(prefix, 'bin'), result, megabytes: diskMegabytes(prefix) };
}

/** One line for the test log: what the install took and printed. */
export function describeInstall(what: string, install: GlobalInstall): string {
  const printed = install.result.output.trim().split('\n').map((line) => `    | ${line}`).join('\n');
  return `${what}: ${install.result.seconds.toFixed(1)} s, ${install.megabytes.toFixed(1)} MB on disk; npm printed:\n${printed}`;
}

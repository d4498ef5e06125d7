// Runs chpst, its personalities and utmpset (ours or the reference binaries) as real processes.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceBinary } from '@runit-ts/test-support';

/** Our commands as users get them: the committed launchers that load the esbuild bundles. */
export const OUR_CHPST = fileURLToPath(new URL('../../bin/chpst', import.meta.url));
export const OUR_UTMPSET = fileURLToPath(new URL('../../bin/utmpset', import.meta.url));
/** The launchers npm links into node_modules/.bin (envdir, setlock, ...). */
export const ourLauncher = (name: string): string => fileURLToPath(new URL(`../../bin/${name}`, import.meta.url));
export const WORKSPACE_BIN = fileURLToPath(new URL('../../../../node_modules/.bin', import.meta.url));
const BUNDLES = ['chpst', 'utmpset'].map((name) => fileURLToPath(new URL(`../../dist/${name}.cjs`, import.meta.url)));

export type Implementation = 'ours' | 'runit';
export const IMPLEMENTATIONS: readonly Implementation[] = ['ours', 'runit'];

export function chpstBinary(implementation: Implementation): string {
  return implementation === 'ours' ? OUR_CHPST : referenceBinary('chpst');
}

export function utmpsetBinary(implementation: Implementation): string {
  return implementation === 'ours' ? OUR_UTMPSET : referenceBinary('utmpset');
}

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  pid: number;
}

export interface RunOptions {
  cwd: string;
  /** The whole environment of the command (default: PATH only, so `env` output is comparable). */
  env?: NodeJS.ProcessEnv;
  /** stdio beyond the usual pipes: index = the child's fd. */
  stdio?: StdioOptions;
  input?: string;
  timeout?: number;
  /**
   * Ours: start the launcher `file` as `/bin/sh file ...`. When the case's PATH leaves node out (a
   * test of chpst's own PATH search), the launcher cannot run at all: the bundle is then started as
   * the launcher would start it.
   */
  viaSh?: boolean;
}

const pathFindsNode = (path: string): boolean => path.split(':').some((dir) => existsSync(join(dir || '.', 'node')));

/** `node <bundle>` with the launcher's $0, for a PATH on which the launcher would not find node. */
function asLauncherWould(file: string, args: readonly string[], env: NodeJS.ProcessEnv): [string, string[], NodeJS.ProcessEnv] {
  const bundle = basename(realpathSync(file)) === 'utmpset' ? BUNDLES[1]! : BUNDLES[0]!;
  return [process.execPath, [bundle, ...args], { ...env, RUNIT_TS_ARGV0: file }];
}

/** node's own dir first, so the launchers find node wherever CI installed it. */
export const PLAIN_PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

function requireBundles(): void {
  for (const bundle of BUNDLES) {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build first (npx nx run @runit-ts/chpst:build)`);
  }
}

/** Runs `file args` (a binary, a launcher or a symlink to either) and collects what it printed. */
export function run(file: string, args: readonly string[], options: RunOptions): Outcome {
  requireBundles();
  let env = options.env ?? { PATH: PLAIN_PATH };
  let [command, argv] = options.viaSh ? ['/bin/sh', [file, ...args]] : [file, [...args]];
  if (options.viaSh && env.PATH !== undefined && !pathFindsNode(env.PATH)) [command, argv, env] = asLauncherWould(file, args, env);
  const result = spawnSync(command, argv, {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    stdio: options.stdio ?? 'pipe',
    input: options.input,
    timeout: options.timeout ?? 60_000,
  });
  if (result.error) throw result.error;
  return {
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    code: result.status,
    signal: result.signal,
    pid: result.pid,
  };
}

/** A symlink `dir/name` -> target (how personalities are installed); made once. */
export function linkAs(dir: string, name: string, target: string): string {
  mkdirSync(dir, { recursive: true });
  const link = join(dir, name);
  if (!existsSync(link)) symlinkSync(target, link);
  return link;
}

/** Replaces what legitimately differs between two runs: the per-implementation dir. */
export function normalise(text: string, dir: string): string {
  return text.split(dir).join('$DIR');
}

/** The comparable part of an outcome: output and exit status, with the run's dir replaced. */
export function comparable(outcome: Outcome, dir: string) {
  return {
    stdout: normalise(outcome.stdout, dir),
    stderr: normalise(outcome.stderr, dir),
    code: outcome.code,
    signal: outcome.signal,
  };
}

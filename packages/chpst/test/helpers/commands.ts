// Runs chpst, its personalities and utmpset (ours or the reference binaries) as real processes.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceBinary } from '@runit-ts/test-support';

/** Our commands as users get them: the committed launchers that load the esbuild bundles. */
export const OUR_CHPST = fileURLToPath(new URL('../../bin/chpst.cjs', import.meta.url));
export const OUR_UTMPSET = fileURLToPath(new URL('../../bin/utmpset.cjs', import.meta.url));
/** The launchers npm links into node_modules/.bin (envdir.cjs, setlock.cjs, ...). */
export const ourLauncher = (name: string): string => fileURLToPath(new URL(`../../bin/${name}.cjs`, import.meta.url));
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
  /** Start `file` as `node file ...` (ours: no dependence on the environment's PATH to find node). */
  viaNode?: boolean;
}

/** node's own dir first, so the launchers' `#!/usr/bin/env node` finds it wherever CI installed it. */
export const PLAIN_PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

function requireBundles(): void {
  for (const bundle of BUNDLES) {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build first (npx nx run @runit-ts/chpst:build)`);
  }
}

/** Runs `file args` (a binary, a launcher or a symlink to either) and collects what it printed. */
export function run(file: string, args: readonly string[], options: RunOptions): Outcome {
  requireBundles();
  const [command, argv] = options.viaNode ? [process.execPath, [file, ...args]] : [file, args];
  const result = spawnSync(command, argv, {
    cwd: options.cwd,
    env: options.env ?? { PATH: PLAIN_PATH },
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

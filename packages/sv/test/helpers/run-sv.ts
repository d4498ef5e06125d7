// Runs an sv (the reference binary or ours, as a real process) and normalises what it printed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Our sv as users get it: the committed launcher that loads the esbuild bundle. */
export const OUR_SV = fileURLToPath(new URL('../../bin/sv', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/sv.cjs', import.meta.url));

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Run through a symlink with this name (LSB mode), made in `${cwd}/init.d/`. */
  lsbName?: string;
  /** Run as this user and group id (the test must be root). */
  uid?: number;
}

/** Environment for sv: ours minus whatever could change its behaviour. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SVDIR;
  delete env.SVWAIT;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runSvBinary(binary: string, args: readonly string[], options: RunOptions): Outcome {
  if (binary === OUR_SV && !existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: build first (npx nx run @runit-ts/sv:build)`);
  }
  let file = binary;
  if (options.lsbName !== undefined) {
    const dir = join(options.cwd, 'init.d');
    mkdirSync(dir, { recursive: true });
    file = join(dir, options.lsbName);
    if (!existsSync(file)) symlinkSync(binary, file);
  }
  const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  const result = spawnSync(file, args, { cwd: options.cwd, env: baseEnv(options.env), encoding: 'utf8', timeout: 60_000, ...ids });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

/** Replaces what legitimately differs between two runs: the temp dir, pids, seconds, the $Id. */
export function normalise(text: string, dir: string): string {
  return text
    .split(dir)
    .join('$DIR')
    .replace(/\(pid \d+\)/g, '(pid N)')
    .replace(/ \d+s\b/g, ' Ns')
    .replace(/^\$Id: [^$]* \$$/gm, '$Id: X $');
}

export function normaliseOutcome(outcome: Outcome, dir: string): Outcome {
  return { stdout: normalise(outcome.stdout, dir), stderr: normalise(outcome.stderr, dir), code: outcome.code };
}
